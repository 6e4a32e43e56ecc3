@echo off
:: Imitates: scripts written against App Service's fixed layout: every path spelled
:: `D:\home\site\wwwroot\...` instead of %DEPLOYMENT_TARGET%.

setlocal enabledelayedexpansion

call "%KUDU_SYNC_CMD%" -v 50 -f "%DEPLOYMENT_SOURCE%" -t "D:\home\site\wwwroot" -n "%NEXT_MANIFEST_PATH%" -p "%PREVIOUS_MANIFEST_PATH%" -i ".git;.hg;.deployment;deploy.cmd"
IF !ERRORLEVEL! NEQ 0 goto error

cd /d D:\home\site\wwwroot
call "%KUDU_SELECT_PYTHON_VERSION_CMD%" "%DEPLOYMENT_SOURCE%" "D:\home\site\wwwroot" "%DEPLOYMENT_TEMP%"
SET /P PYTHON_EXE=<"%DEPLOYMENT_TEMP%\__PYTHON_EXE.tmp"
IF NOT EXIST D:\home\site\wwwroot\env\pyvenv.cfg "%PYTHON_EXE%" -m venv D:\home\site\wwwroot\env
D:\home\site\wwwroot\env\Scripts\python.exe -m pip install -r D:\home\site\wwwroot\requirements.txt
IF !ERRORLEVEL! NEQ 0 goto error

goto end

:error
echo An error has occurred during web site deployment.
exit /b 1

:end
echo Finished successfully.
