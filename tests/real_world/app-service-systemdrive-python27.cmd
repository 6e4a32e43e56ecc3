@echo off
:: Imitates: scripts from before the version helper, with the interpreter hard-coded as
:: `%SYSTEMDRIVE%\python27\python.exe` and virtualenv from its Scripts folder.

setlocal enabledelayedexpansion

call "%KUDU_SYNC_CMD%" -f "%DEPLOYMENT_SOURCE%" -t "%DEPLOYMENT_TARGET%" -n "%NEXT_MANIFEST_PATH%" -p "%PREVIOUS_MANIFEST_PATH%" -i ".git;.hg;.deployment;deploy.cmd"
IF !ERRORLEVEL! NEQ 0 goto error

pushd "%DEPLOYMENT_TARGET%"
IF NOT EXIST env\azure.env.python-2.7.txt (
  %SYSTEMDRIVE%\python27\python.exe -m virtualenv env
  IF !ERRORLEVEL! NEQ 0 goto error
  copy /y NUL env\azure.env.python-2.7.txt >NUL
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
