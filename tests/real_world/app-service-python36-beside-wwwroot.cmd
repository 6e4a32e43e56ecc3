@echo off
:: Imitates: scripts for the Python36 site extension installed beside wwwroot, called as
:: `%DEPLOYMENT_TARGET%\..\Python36\python.exe`.

setlocal enabledelayedexpansion

call "%KUDU_SYNC_CMD%" -v 50 -f "%DEPLOYMENT_SOURCE%" -t "%DEPLOYMENT_TARGET%" -n "%NEXT_MANIFEST_PATH%" -p "%PREVIOUS_MANIFEST_PATH%" -i ".git;.hg;.deployment;deploy.cmd"
IF !ERRORLEVEL! NEQ 0 goto error

SET PYTHON_EXE=%DEPLOYMENT_TARGET%\..\Python36\python.exe
pushd "%DEPLOYMENT_TARGET%"
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
