@echo off & setlocal
echo.>"%DEPLOYMENT_TEMP%\empty.txt"
"%PYTHON_EXE%" -m pip install -r "%DEPLOYMENT_TARGET%\requirements.txt" > "%LOG%" 2>&1
FOR /F "delims=" %%i IN ('"%PYTHON_EXE%" -c "print(1)"') DO set ONE=%%i
IF "%~1"=="" (
  echo usage: deploy.cmd target
  exit /b 2
)
if %ERRORLEVEL% NEQ 0 goto error
set X=a ^& b
:error
