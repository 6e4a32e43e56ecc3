@echo off
set X=keep
set /p X=< missing_zz.txt
echo [%X%] %ERRORLEVEL%
