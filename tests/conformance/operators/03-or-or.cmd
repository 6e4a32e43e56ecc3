@echo off
cd missing_folder_zz 2>nul || echo failed
echo ok|| echo not printed
exit /b %ERRORLEVEL%
