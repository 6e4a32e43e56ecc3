call :ExecuteCmd "%KUDU_SYNC_CMD%" -v 50 -f "%DEPLOYMENT_SOURCE%"
CALL :sub a "b c" %1
call :sub
goto :EOF
:sub
:ExecuteCmd
