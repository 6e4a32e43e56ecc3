@echo off
set R=%RANDOM%
if %R% GEQ 0 if %R% LEQ 32767 echo random in range
if not "%DATE%"=="" echo date set
if not "%TIME%"=="" echo time set
