@echo off
:: Imitates: the Python 3.6 site extension scripts: the interpreter hard-coded as
:: `D:\home\python364x64\python.exe` and a venv made with it in wwwroot.

setlocal enabledelayedexpansion

call "%KUDU_SYNC_CMD%" -v 50 -f "%DEPLOYMENT_SOURCE%" -t "%DEPLOYMENT_TARGET%" -n "%NEXT_MANIFEST_PATH%" -p "%PREVIOUS_MANIFEST_PATH%" -i ".git;.hg;.deployment;deploy.cmd"
IF !ERRORLEVEL! NEQ 0 goto error

pushd "%DEPLOYMENT_TARGET%"
IF NOT EXIST env\azure.env.python-3.6.txt (
  IF EXIST env rmdir /q /s env
  D:\home\python364x64\python.exe -m venv env
  IF !ERRORLEVEL! NEQ 0 goto error
  copy /y NUL env\azure.env.python-3.6.txt >NUL
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
