@echo off
:: Imitates: sites with split requirement files (requirements.txt plus extras) installed
:: in a FOR loop over `requirements*.txt`.

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

for %%f in (requirements*.txt) do (
  echo Installing %%f
  env\scripts\pip install -r %%f
  IF !ERRORLEVEL! NEQ 0 goto error
)
popd

goto end

:error
echo An error has occurred during web site deployment.
exit /b 1

:end
echo Finished successfully.
