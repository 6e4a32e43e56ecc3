@echo off
call :f
echo got %ERRORLEVEL%
exit /b 0
:f
cd missing_folder_zz 2>nul
exit /b
