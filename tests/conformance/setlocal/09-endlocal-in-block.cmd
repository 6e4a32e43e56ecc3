@echo off
setlocal enabledelayedexpansion
set LOCALV=inner
(
  endlocal
  set OUTV=%LOCALV%
)
echo [%OUTV%] [%LOCALV%]
