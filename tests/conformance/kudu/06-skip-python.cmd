@echo off
setlocal enabledelayedexpansion
md src
md wwwroot
> sync.cmd echo @echo sync %%1 %%2 %%3 %%~nx4 %%5 %%~nx6 %%7 %%~8
SET KUDU_SYNC_CMD=%~dp0sync.cmd
SET DEPLOYMENT_SOURCE=%~dp0src
SET DEPLOYMENT_TARGET=%~dp0wwwroot
SET IN_PLACE_DEPLOYMENT=
echo Handling python deployment.
IF /I "%IN_PLACE_DEPLOYMENT%" NEQ "1" (
  call :ExecuteCmd "%KUDU_SYNC_CMD%" -v 50 -f "%DEPLOYMENT_SOURCE%" -t "%DEPLOYMENT_TARGET%" -i ".git;.hg;.deployment;deploy.cmd"
  IF !ERRORLEVEL! NEQ 0 goto error
)

IF NOT EXIST "%DEPLOYMENT_TARGET%\requirements.txt" goto postPython
echo not printed
:postPython
goto end

:ExecuteCmd
setlocal
set _CMD_=%*
call %_CMD_%
if "%ERRORLEVEL%" NEQ "0" echo Failed exitCode=%ERRORLEVEL%, command=%_CMD_%
exit /b %ERRORLEVEL%

:error
echo An error has occurred.
exit /b 1

:end
endlocal
echo Finished successfully.
