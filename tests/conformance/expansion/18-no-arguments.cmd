@echo off
if "%~1"=="" echo no first argument
echo [%1] [%*]
