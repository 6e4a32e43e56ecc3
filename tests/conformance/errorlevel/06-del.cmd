@echo off
echo x> f.txt
call :fail 5
del f.txt
echo after del %ERRORLEVEL%
call :fail 5
del missing_zz.txt 2>nul
echo after missing %ERRORLEVEL%
if not exist f.txt echo deleted
goto :eof
:fail
exit /b %1
