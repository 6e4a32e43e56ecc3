@echo off
set X=value
call :sub
echo main !X!
goto :eof
:sub
setlocal enabledelayedexpansion
echo sub !X!
goto :eof
