@echo off
:: Imitates: site extension scripts that call `D:\home\python364x64\python.exe -m pip`
:: to fetch virtualenv first, then build the env with it (Kudu's 3.4-3.6 way).

setlocal enabledelayedexpansion

call "%KUDU_SYNC_CMD%" -f "%DEPLOYMENT_SOURCE%" -t "%DEPLOYMENT_TARGET%" -n "%NEXT_MANIFEST_PATH%" -p "%PREVIOUS_MANIFEST_PATH%" -i ".git;.hg;.deployment;deploy.cmd"
IF !ERRORLEVEL! NEQ 0 goto error

pushd "%DEPLOYMENT_TARGET%"
D:\home\python364x64\python.exe -m virtualenv env
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
