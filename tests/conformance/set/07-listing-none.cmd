@echo off
set ZZNOPE
echo errorlevel %ERRORLEVEL%
exit /b %ERRORLEVEL%
