@echo off
set "MSG=fix (bug) | echo INJECTED"
echo %MSG%
if "%MSG%"=="fix (bug) | echo INJECTED" echo compared as text
