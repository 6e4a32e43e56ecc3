@echo off
:: Deploys poetry-app (Flask, app app:app). Written by gen-deploy; edit it freely.
:: run-deploy runs it here; Kudu runs it on App Service (.deployment names it).
:: Check it with `run-deploy --check deploy.cmd`.

setlocal enabledelayedexpansion

:: 1. Sync the repository into the site: copy what changed, delete what was removed
SYNC /IGNORE ".git;.hg;.deployment;deploy.cmd"
IF !ERRORLEVEL! NEQ 0 goto error

:: A .skipPythonDeployment file in the app skips the Python steps, as on Kudu
IF EXIST "%DEPLOYMENT_TARGET%\.skipPythonDeployment" goto end

:: 2. Select Python: PYTHON_VERSION, else runtime.txt, .python-version, requires-python
PYTHON SELECT
IF !ERRORLEVEL! NEQ 0 goto error

:: 3. Reuse the virtual environment when it is compatible, else build it
::    To force a fresh one, uncomment one VENV REMOVE line (delete its "::") and deploy.
::    Rebuild on every deploy (slow; while you chase a broken environment):
:: VENV REMOVE
::    Rebuild once; write a new token here to rebuild once more:
:: VENV REMOVE /ONCE 2026-12-03
::    Rebuild when one of these files changed, so that removed packages really go:
:: VENV REMOVE /IFCHANGED pyproject.toml poetry.lock
VENV ENSURE
IF !ERRORLEVEL! NEQ 0 goto error

:: 4. Install the packages; skipped when nothing changed since the last install
VENV INSTALL poetry.lock
IF !ERRORLEVEL! NEQ 0 goto error

goto end

:error
echo An error has occurred during web site deployment.
exit /b 1

:end
echo Finished successfully.
