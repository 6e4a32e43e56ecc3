@if "%SCM_TRACE_LEVEL%" NEQ "4" @echo off
setlocal enabledelayedexpansion
> step.cmd echo @exit /b 3
echo Handling deployment.
call :ExecuteCmd "step.cmd" -x "y z"
IF !ERRORLEVEL! NEQ 0 goto error
echo not printed
goto end

:ExecuteCmd
setlocal
set _CMD_=%*
call %_CMD_%
if "%ERRORLEVEL%" NEQ "0" echo Failed exitCode=%ERRORLEVEL%, command=%_CMD_%
exit /b %ERRORLEVEL%

:error
endlocal
echo An error has occurred.
call :exitSetErrorLevel
call :exitFromFunction 2>nul

:exitSetErrorLevel
exit /b 1

:exitFromFunction
()

:end
endlocal
echo Finished successfully.
