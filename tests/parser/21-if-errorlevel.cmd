IF ERRORLEVEL 1 goto error
if not errorlevel 1 echo ok
IF %ERRORLEVEL% NEQ 0 goto error
IF !ERRORLEVEL! NEQ 0 goto error
:error
