@echo off
dir /b *.none
echo %ERRORLEVEL%
exit /b 0
