@echo off
:: Imitates: scripts that build paths from %HOME% (App Service sets it to D:\home), such
:: as `%HOME%\site\wwwroot` and `%HOME%\LogFiles`.

setlocal enabledelayedexpansion

IF NOT EXIST "%HOME%\LogFiles" mkdir "%HOME%\LogFiles"
echo Deploying %SCM_COMMIT_ID% >> "%HOME%\LogFiles\deploy.log"

call "%KUDU_SYNC_CMD%" -v 50 -f "%DEPLOYMENT_SOURCE%" -t "%HOME%\site\wwwroot" -n "%NEXT_MANIFEST_PATH%" -p "%PREVIOUS_MANIFEST_PATH%" -i ".git;.hg;.deployment;deploy.cmd"
IF !ERRORLEVEL! NEQ 0 goto error

pushd "%HOME%\site\wwwroot"
call "%KUDU_SELECT_PYTHON_VERSION_CMD%" "%DEPLOYMENT_SOURCE%" "%HOME%\site\wwwroot" "%DEPLOYMENT_TEMP%"
SET /P PYTHON_EXE=<"%DEPLOYMENT_TEMP%\__PYTHON_EXE.tmp"
IF NOT EXIST env "%PYTHON_EXE%" -m venv env
env\scripts\pip install -r requirements.txt
IF !ERRORLEVEL! NEQ 0 goto error
popd

goto end

:error
echo An error has occurred during web site deployment.
exit /b 1

:end
echo Finished successfully.
