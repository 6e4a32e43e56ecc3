@echo off
echo key rest of the line> data.txt
for /f "tokens=1,*" %%a in (data.txt) do echo [%%a] [%%b]
