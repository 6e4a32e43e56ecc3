@echo off
echo start
goto :EOF
echo not printed
