@echo off
:: Imitates: scripts that set PYTHONPATH to wwwroot and import the app once after
:: installing, so that a broken import fails the deploy instead of the first request.

setlocal enabledelayedexpansion

IF NOT DEFINED DEPLOYMENT_SOURCE SET DEPLOYMENT_SOURCE=%~dp0.
IF NOT DEFINED DEPLOYMENT_TARGET SET DEPLOYMENT_TARGET=%~dp0..\artifacts\wwwroot
IF NOT DEFINED KUDU_SYNC_CMD SET KUDU_SYNC_CMD=kuduSync

call "%KUDU_SYNC_CMD%" -v 50 -f "%DEPLOYMENT_SOURCE%" -t "%DEPLOYMENT_TARGET%" -n "%NEXT_MANIFEST_PATH%" -p "%PREVIOUS_MANIFEST_PATH%" -i ".git;.hg;.deployment;deploy.cmd"
IF !ERRORLEVEL! NEQ 0 goto error

call "%KUDU_SELECT_PYTHON_VERSION_CMD%" "%DEPLOYMENT_SOURCE%" "%DEPLOYMENT_TARGET%" "%DEPLOYMENT_TEMP%"
IF !ERRORLEVEL! NEQ 0 goto error
SET /P PYTHON_RUNTIME=<"%DEPLOYMENT_TEMP%\__PYTHON_RUNTIME.tmp"
SET /P PYTHON_EXE=<"%DEPLOYMENT_TEMP%\__PYTHON_EXE.tmp"

pushd "%DEPLOYMENT_TARGET%"
IF NOT EXIST "env\azure.env.%PYTHON_RUNTIME%.txt" (
  IF EXIST env rmdir /q /s env
  "%PYTHON_EXE%" -m venv env
  IF !ERRORLEVEL! NEQ 0 goto error
  copy /y NUL "env\azure.env.%PYTHON_RUNTIME%.txt" >NUL
)

env\scripts\pip install -r requirements.txt
IF !ERRORLEVEL! NEQ 0 goto error
SET PYTHONPATH=%DEPLOYMENT_TARGET%;%PYTHONPATH%
env\scripts\python -c "import app; print('app imports with', sorted(app.app.views))"
IF !ERRORLEVEL! NEQ 0 goto error
popd

goto end

:error
echo An error has occurred during web site deployment.
exit /b 1

:end
echo Finished successfully.
