SET /P PYTHON_RUNTIME=<"%DEPLOYMENT_TEMP%\__PYTHON_RUNTIME.tmp"
set /p LINE=<input.txt
set /p "ANSWER=Continue? "
