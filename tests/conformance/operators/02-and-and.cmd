@echo off
echo ok&& echo then
cd missing_folder_zz 2>nul && echo not printed
echo end
exit /b %ERRORLEVEL%
