@echo off
cd not_a_folder_zz 2>nul
echo %ERRORLEVEL%
set ERRORLEVEL=42
echo %ERRORLEVEL%
set ERRORLEVEL=
echo %ERRORLEVEL%
