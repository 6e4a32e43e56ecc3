@echo off
call :nope
echo continued %ERRORLEVEL%
exit /b 0
