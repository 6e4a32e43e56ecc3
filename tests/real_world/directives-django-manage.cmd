@echo off
:: Imitates: a gen-deploy script for Django with the owner's own migrate line after the
:: directives, calling the env's python by its Windows path.

setlocal enabledelayedexpansion

SYNC /IGNORE ".git;.hg;.deployment;deploy.cmd"
IF !ERRORLEVEL! NEQ 0 goto error
PYTHON SELECT
IF !ERRORLEVEL! NEQ 0 goto error
VENV ENSURE
IF !ERRORLEVEL! NEQ 0 goto error
VENV INSTALL -r requirements.txt
IF !ERRORLEVEL! NEQ 0 goto error
DJANGO COLLECTSTATIC
IF !ERRORLEVEL! NEQ 0 goto error

pushd "%DEPLOYMENT_TARGET%"
env\Scripts\python.exe manage.py migrate --noinput
IF !ERRORLEVEL! NEQ 0 goto error
popd

goto end

:error
echo An error has occurred during web site deployment.
exit /b 1

:end
echo Finished successfully.
