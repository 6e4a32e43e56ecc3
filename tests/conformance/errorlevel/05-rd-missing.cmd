@echo off
rd missing_folder_zz
echo errorlevel %ERRORLEVEL%
rd missing_folder_zz 2>nul || echo rd failed
md empty
call :fail 2
rd empty
echo after rd %ERRORLEVEL%
if not exist empty echo removed
exit /b 0
:fail
exit /b %1
