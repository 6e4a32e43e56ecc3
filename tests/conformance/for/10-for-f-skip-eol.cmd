@echo off
echo header> data.txt
echo # comment>> data.txt
echo ;semicolon>> data.txt
echo value1>> data.txt
echo value2>> data.txt
for /f "skip=1 eol=#" %%a in (data.txt) do echo %%a
echo ---
for /f %%a in (data.txt) do echo %%a
