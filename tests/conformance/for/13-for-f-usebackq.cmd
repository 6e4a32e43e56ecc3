@echo off
echo line in spaced file> "my file.txt"
for /f "usebackq delims=" %%l in ("my file.txt") do echo %%l
for /f "usebackq" %%l in (`echo backquoted`) do echo %%l
for /f "usebackq tokens=2" %%l in ('a b') do echo %%l
