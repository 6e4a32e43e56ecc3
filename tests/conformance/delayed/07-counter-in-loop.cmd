@echo off
setlocal enabledelayedexpansion
set /a C=0
for /l %%i in (1,1,3) do (
  set /a C+=%%i
  echo !C! %C%
)
