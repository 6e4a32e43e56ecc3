@echo off
:: Imitates: scripts that use a helper dropped into D:\home\site\tools (on PATH on App
:: Service), here a check that the site's entry module imports.

setlocal enabledelayedexpansion

call "%KUDU_SYNC_CMD%" -f "%DEPLOYMENT_SOURCE%" -t "%DEPLOYMENT_TARGET%" -n "%NEXT_MANIFEST_PATH%" -p "%PREVIOUS_MANIFEST_PATH%" -i ".git;.hg;.deployment;deploy.cmd"
IF !ERRORLEVEL! NEQ 0 goto error

IF NOT EXIST D:\home\site\tools mkdir D:\home\site\tools
echo @echo Site tools are on PATH.> D:\home\site\tools\sitecheck.cmd

pushd "%DEPLOYMENT_TARGET%"
call "%KUDU_SELECT_PYTHON_VERSION_CMD%" "%DEPLOYMENT_SOURCE%" "%DEPLOYMENT_TARGET%" "%DEPLOYMENT_TEMP%"
SET /P PYTHON_EXE=<"%DEPLOYMENT_TEMP%\__PYTHON_EXE.tmp"
IF NOT EXIST env "%PYTHON_EXE%" -m venv env
env\scripts\pip install -r requirements.txt
IF !ERRORLEVEL! NEQ 0 goto error
call sitecheck
popd

goto end

:error
echo An error has occurred during web site deployment.
exit /b 1

:end
echo Finished successfully.
