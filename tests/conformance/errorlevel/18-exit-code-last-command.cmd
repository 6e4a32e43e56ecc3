@echo off
call :fail 3
echo errorlevel is %ERRORLEVEL%
echo Finished successfully.
goto :eof
:fail
exit /b %1
