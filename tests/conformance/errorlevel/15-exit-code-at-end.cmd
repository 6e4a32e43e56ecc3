@echo off
call :fail 4
goto :eof
:fail
exit /b %1
