setlocal enabledelayedexpansion
echo !VAR!
IF !ERRORLEVEL! NEQ 0 goto :EOF
set LIST=!LIST! %%i
