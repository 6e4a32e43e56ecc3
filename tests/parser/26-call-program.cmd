call npm install kudusync -g --silent
CALL other.cmd arg1 arg2
call "%KUDU_SELECT_PYTHON_VERSION_CMD%" "%DEPLOYMENT_SOURCE%"
call %KUDU_SYNC_CMD% -v 50
call x.bat
