@echo off
goto first
:dup
echo dup one
goto :eof
:first
goto dup
:dup
echo dup two
