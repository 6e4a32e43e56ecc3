@echo off
call :fail 6
setlocal
echo after setlocal %ERRORLEVEL%
call :fail 6
endlocal
echo after endlocal %ERRORLEVEL%
exit /b 0
:fail
exit /b %1
