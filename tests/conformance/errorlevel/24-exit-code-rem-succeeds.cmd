@echo off
goto main
:f
exit /b 3
:main
call :f
rem the last command run
:: a label line, never run
