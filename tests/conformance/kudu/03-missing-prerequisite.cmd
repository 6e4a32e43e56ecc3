@echo off
where no_such_tool_zz 2>nul >nul
IF %ERRORLEVEL% NEQ 0 (
  echo Missing no_such_tool_zz executable, please install it.
  goto error
)
goto end

:error
echo An error has occurred.
call :exitSetErrorLevel
call :exitFromFunction 2>nul

:exitSetErrorLevel
exit /b 1

:exitFromFunction
()

:end
echo Finished successfully.
