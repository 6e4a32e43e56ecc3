@echo off
echo before
exit /b 5
echo not printed
