@echo off
call :fail 3
echo returned %ERRORLEVEL%
if errorlevel 3 echo at least 3
call :fail 0
echo returned %ERRORLEVEL%
goto :eof
:fail
exit /b %1
echo not printed
