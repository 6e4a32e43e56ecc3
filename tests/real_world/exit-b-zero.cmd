@echo off
:: Imitates: short scripts that end with `exit /b 0` and report errors with
:: `exit /b %ERRORLEVEL%`, no labels at all.

setlocal enabledelayedexpansion
call "%KUDU_SYNC_CMD%" -f "%DEPLOYMENT_SOURCE%" -t "%DEPLOYMENT_TARGET%" -n "%NEXT_MANIFEST_PATH%" -p "%PREVIOUS_MANIFEST_PATH%" -i ".git;.hg;.deployment;deploy.cmd"
if errorlevel 1 exit /b %ERRORLEVEL%
call "%KUDU_SELECT_PYTHON_VERSION_CMD%" "%DEPLOYMENT_SOURCE%" "%DEPLOYMENT_TARGET%" "%DEPLOYMENT_TEMP%"
if errorlevel 1 exit /b %ERRORLEVEL%
set /p PYTHON_EXE=<"%DEPLOYMENT_TEMP%\__PYTHON_EXE.tmp"
cd /d "%DEPLOYMENT_TARGET%"
if not exist env\pyvenv.cfg "%PYTHON_EXE%" -m venv env
if errorlevel 1 exit /b %ERRORLEVEL%
env\scripts\pip install -r requirements.txt
if errorlevel 1 exit /b %ERRORLEVEL%
echo Finished successfully.
exit /b 0
