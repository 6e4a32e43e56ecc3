@echo off
setlocal enabledelayedexpansion
(
  cd missing_folder_zz 2>nul
  echo read-time %ERRORLEVEL%
  echo run-time !ERRORLEVEL!
)
exit /b 0
