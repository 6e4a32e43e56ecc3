@echo off
:: Imitates: scripts that replaced KuduSync with robocopy /MIR, excluding .git, with the
:: quiet switches and robocopy's exit codes (below 8 is success) tested by hand.

setlocal enabledelayedexpansion

echo Syncing with robocopy.
robocopy "%DEPLOYMENT_SOURCE%" "%DEPLOYMENT_TARGET%" /MIR /XD .git /XF deploy.cmd .deployment /NFL /NDL /NJH /NJS /NP
if %errorlevel% geq 8 goto error

pushd "%DEPLOYMENT_TARGET%"
call "%KUDU_SELECT_PYTHON_VERSION_CMD%" "%DEPLOYMENT_SOURCE%" "%DEPLOYMENT_TARGET%" "%DEPLOYMENT_TEMP%"
IF !ERRORLEVEL! NEQ 0 goto error
SET /P PYTHON_EXE=<"%DEPLOYMENT_TEMP%\__PYTHON_EXE.tmp"

IF NOT EXIST env\pyvenv.cfg (
  "%PYTHON_EXE%" -m venv env
  IF !ERRORLEVEL! NEQ 0 goto error
)
env\scripts\pip install -r requirements.txt
IF !ERRORLEVEL! NEQ 0 goto error
popd

goto end

:error
echo An error has occurred during web site deployment.
exit /b 1

:end
echo Finished successfully.
