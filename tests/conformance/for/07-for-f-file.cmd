@echo off
echo alpha one> data.txt
echo.>> data.txt
echo   beta two>> data.txt
echo gamma>> data.txt
for /f %%a in (data.txt) do echo [%%a]
