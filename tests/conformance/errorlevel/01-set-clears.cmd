@echo off
call :fail 4
echo before %ERRORLEVEL%
set A=1
echo after set %ERRORLEVEL%
goto :eof
:fail
exit /b %1
