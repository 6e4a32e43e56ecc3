@echo off
echo    padded line> data.txt
for /f "tokens=*" %%l in (data.txt) do echo [%%l]
