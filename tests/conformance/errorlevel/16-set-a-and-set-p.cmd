@echo off
echo v> in.txt
call :fail 7
set /a N=1+1
echo after set /a %ERRORLEVEL%
call :fail 7
set /p V=<in.txt
echo after set /p %ERRORLEVEL%
goto :eof
:fail
exit /b %1
