@echo off
setlocal enabledelayedexpansion
set X=value
setlocal disabledelayedexpansion
echo !X!
endlocal
echo !X!
