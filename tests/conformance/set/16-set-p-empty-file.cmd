@echo off
type nul > empty.txt
set X=keep
set /p X=<empty.txt
echo [%X%] %ERRORLEVEL%
exit /b %ERRORLEVEL%
