@echo off
echo start
goto main
:fail
exit /b %1
:main
call :fail 4
