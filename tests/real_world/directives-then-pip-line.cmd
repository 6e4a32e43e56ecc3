@echo off
:: Imitates: a gen-deploy script its owner edited: the directives kept for sync, select
:: and env, then a Kudu-style `env\scripts\pip install` line instead of the install step.

setlocal enabledelayedexpansion

SYNC /IGNORE ".git;.hg;.deployment;deploy.cmd"
IF !ERRORLEVEL! NEQ 0 goto error
PYTHON SELECT
IF !ERRORLEVEL! NEQ 0 goto error
VENV ENSURE
IF !ERRORLEVEL! NEQ 0 goto error

pushd "%DEPLOYMENT_TARGET%"
env\scripts\pip install -r requirements.txt
IF !ERRORLEVEL! NEQ 0 goto error
popd

goto end

:error
echo An error has occurred during web site deployment.
exit /b 1

:end
echo Finished successfully.
