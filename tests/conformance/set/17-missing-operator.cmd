@echo off
set /a X=1 2
if errorlevel 1 echo failed
set /a Y=3
echo %Y%
