@echo off
echo a!b> data.txt
setlocal enabledelayedexpansion
for /f "delims=" %%l in (data.txt) do echo [%%l]
endlocal
for /f "delims=" %%l in (data.txt) do echo [%%l]
