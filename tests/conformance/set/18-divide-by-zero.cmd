@echo off
set /a X=1/0
if errorlevel 1 echo failed
echo [%X%]
set /a Y=2
echo %ERRORLEVEL%
