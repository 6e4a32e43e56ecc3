@echo off
setlocal enabledelayedexpansion
md src
md target
echo ^<configuration/^>> src\web.3.11.config
SET DEPLOYMENT_SOURCE=%CD%\src
SET DEPLOYMENT_TARGET=%CD%\target
SET PYTHON_VER=3.11
IF EXIST "%DEPLOYMENT_SOURCE%\web.%PYTHON_VER%.config" (
  echo Overwriting web.config with web.%PYTHON_VER%.config
  copy /y "%DEPLOYMENT_SOURCE%\web.%PYTHON_VER%.config" "%DEPLOYMENT_TARGET%\web.config"
)
type target\web.config
