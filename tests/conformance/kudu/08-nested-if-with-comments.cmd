@echo off
setlocal enabledelayedexpansion
md site\env\lib\site-packages\django
echo x> site\manage.py
SET DEPLOYMENT_TARGET=%CD%\site
pushd "%DEPLOYMENT_TARGET%"
:: 6. collect static files
IF EXIST "%DEPLOYMENT_TARGET%\manage.py" (
  :: only when Django is installed
  IF EXIST "%DEPLOYMENT_TARGET%\env\lib\site-packages\django" (
    IF NOT EXIST "%DEPLOYMENT_TARGET%\.skipDjango" (
      echo Collecting Django static files.
      IF NOT EXIST "%DEPLOYMENT_TARGET%\static" (
        MKDIR "%DEPLOYMENT_TARGET%\static"
      )
    )
  )
)
if exist static echo static made
popd
if exist site\static echo back out of site
