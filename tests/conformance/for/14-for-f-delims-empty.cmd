@echo off
echo   indented line> data.txt
echo plain line>> data.txt
for /f "delims=" %%l in (data.txt) do echo [%%l]
