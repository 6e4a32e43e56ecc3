@echo off
call :fail 2
call echo called
echo after call echo %ERRORLEVEL%
call :fail 2
call :nothing
echo after call label %ERRORLEVEL%
exit /b 0
:fail
exit /b %1
:nothing
goto :eof
