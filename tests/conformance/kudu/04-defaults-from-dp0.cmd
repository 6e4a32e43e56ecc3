@echo off
setlocal enabledelayedexpansion
SET DEPLOYMENT_SOURCE=
SET NEXT_MANIFEST_PATH=
SET PREVIOUS_MANIFEST_PATH=
SET ARTIFACTS=%~dp0%..\artifacts

IF NOT DEFINED DEPLOYMENT_SOURCE (
  SET DEPLOYMENT_SOURCE=%~dp0%.
)

IF NOT DEFINED NEXT_MANIFEST_PATH (
  SET NEXT_MANIFEST_PATH=%ARTIFACTS%\manifest

  IF NOT DEFINED PREVIOUS_MANIFEST_PATH (
    SET PREVIOUS_MANIFEST_PATH=%ARTIFACTS%\manifest
  )
)
if exist "%DEPLOYMENT_SOURCE%\%~nx0" echo source is the script folder
for %%a in ("%ARTIFACTS%") do echo artifacts folder name: %%~nxa
for %%m in ("%PREVIOUS_MANIFEST_PATH%") do echo manifest name: %%~nxm
if "%NEXT_MANIFEST_PATH%"=="%PREVIOUS_MANIFEST_PATH%" echo same manifest
