@echo off
echo a & echo b
echo c&echo d
cd missing_folder_zz 2>nul & echo runs anyway
exit /b %ERRORLEVEL%
