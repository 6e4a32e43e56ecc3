setlocal
SETLOCAL ENABLEDELAYEDEXPANSION
setlocal DisableDelayedExpansion
setlocal enableextensions enabledelayedexpansion
endlocal
ENDLOCAL & set RESULT=%RESULT%
