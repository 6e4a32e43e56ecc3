@echo off
set "X=1 & echo INJECTED"
if "%X%"=="1 & echo INJECTED" (echo equal) else (echo not equal)
echo end
