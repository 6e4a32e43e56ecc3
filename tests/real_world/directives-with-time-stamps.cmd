@echo off
:: Imitates: a gen-deploy script with `echo %time%` stamps and `echo.` spacing added
:: between the directive steps by its owner.

setlocal enabledelayedexpansion

echo %time% sync
SYNC /IGNORE ".git;.hg;.deployment;deploy.cmd"
IF !ERRORLEVEL! NEQ 0 goto error
echo.
echo %time% select
PYTHON SELECT
IF !ERRORLEVEL! NEQ 0 goto error
echo %time% env
VENV ENSURE
IF !ERRORLEVEL! NEQ 0 goto error
echo %time% install
VENV INSTALL -r requirements.txt
IF !ERRORLEVEL! NEQ 0 goto error

goto end

:error
echo An error has occurred during web site deployment.
exit /b 1

:end
echo Finished successfully.
