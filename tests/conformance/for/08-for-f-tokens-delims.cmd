@echo off
echo a,b,c,d> data.csv
echo e,,f,g>> data.csv
for /f "tokens=1,3 delims=," %%a in (data.csv) do echo %%a %%b
for /f "tokens=2-3 delims=," %%a in (data.csv) do echo %%a-%%b
