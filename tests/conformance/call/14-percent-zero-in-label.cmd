@echo off
call :Sub
goto :eof
:sub
echo %0
