@echo off
setlocal EnableExtensions EnableDelayedExpansion
set X=both
echo !X!
endlocal
