@echo off
setlocal
set R=computed
endlocal & set RESULT=%R%
echo [%RESULT%] [%R%]
