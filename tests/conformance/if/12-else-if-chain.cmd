@echo off
call :classify 1
call :classify 2
call :classify 3
goto :eof
:classify
if "%1"=="1" (
  echo one
) else if "%1"=="2" (
  echo two
) else (
  echo other %1
)
