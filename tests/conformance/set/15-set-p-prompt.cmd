@echo off
echo answer> in.txt
set /p W=Name?<in.txt
echo.
echo [%W%]
