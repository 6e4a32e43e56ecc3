@echo off
setlocal enabledelayedexpansion
md temp
md target
> select.cmd echo @echo off
>> select.cmd echo ^> "%%~3\__PYTHON_RUNTIME.tmp" echo python-3.11
>> select.cmd echo ^> "%%~3\__PYTHON_VER.tmp" echo 3.11
>> select.cmd echo ^> "%%~3\__PYTHON_ENV_MODULE.tmp" echo venv
SET KUDU_SELECT_PYTHON_VERSION_CMD=select.cmd
SET DEPLOYMENT_SOURCE=%CD%
SET DEPLOYMENT_TARGET=%CD%\target
SET DEPLOYMENT_TEMP=%CD%\temp
call :deploy
call :deploy
goto :eof

:deploy
call :SelectPythonVersion
IF NOT EXIST "%DEPLOYMENT_TARGET%\env\azure.env.%PYTHON_RUNTIME%.txt" (
  IF EXIST "%DEPLOYMENT_TARGET%\env" (
    echo Deleting incompatible virtual environment.
    rmdir /q /s "%DEPLOYMENT_TARGET%\env"
    IF !ERRORLEVEL! NEQ 0 goto error
  )

  echo Creating %PYTHON_RUNTIME% virtual environment with %PYTHON_ENV_MODULE%.
  md "%DEPLOYMENT_TARGET%\env"
  copy /y NUL "%DEPLOYMENT_TARGET%\env\azure.env.%PYTHON_RUNTIME%.txt" >NUL
) ELSE (
  echo Found compatible virtual environment for %PYTHON_VER%.
)
goto :eof

:SelectPythonVersion
IF DEFINED KUDU_SELECT_PYTHON_VERSION_CMD (
  call %KUDU_SELECT_PYTHON_VERSION_CMD% "%DEPLOYMENT_SOURCE%" "%DEPLOYMENT_TARGET%" "%DEPLOYMENT_TEMP%"
  IF !ERRORLEVEL! NEQ 0 goto error

  SET /P PYTHON_RUNTIME=<"%DEPLOYMENT_TEMP%\__PYTHON_RUNTIME.tmp"
  IF !ERRORLEVEL! NEQ 0 goto error

  SET /P PYTHON_VER=<"%DEPLOYMENT_TEMP%\__PYTHON_VER.tmp"
  IF !ERRORLEVEL! NEQ 0 goto error

  SET /P PYTHON_ENV_MODULE=<"%DEPLOYMENT_TEMP%\__PYTHON_ENV_MODULE.tmp"
  IF !ERRORLEVEL! NEQ 0 goto error
) ELSE (
  SET PYTHON_RUNTIME=python-2.7
)
goto :EOF

:error
echo An error has occurred.
exit /b 1
