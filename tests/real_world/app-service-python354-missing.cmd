@echo off
:: Imitates: a script pinned to the Python 3.5 site extension,
:: `D:\home\python354x64\python.exe`; a runtime this machine does not have.

setlocal enabledelayedexpansion

call "%KUDU_SYNC_CMD%" -f "%DEPLOYMENT_SOURCE%" -t "%DEPLOYMENT_TARGET%" -n "%NEXT_MANIFEST_PATH%" -p "%PREVIOUS_MANIFEST_PATH%" -i ".git;.hg;.deployment;deploy.cmd"
IF !ERRORLEVEL! NEQ 0 goto error

pushd "%DEPLOYMENT_TARGET%"
D:\home\python354x64\python.exe -m venv env
IF !ERRORLEVEL! NEQ 0 goto error
env\scripts\pip install -r requirements.txt
IF !ERRORLEVEL! NEQ 0 goto error
popd

goto end

:error
echo An error has occurred during web site deployment.
exit /b 1

:end
echo Finished successfully.
