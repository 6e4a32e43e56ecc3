@echo off
call :f
echo after %ERRORLEVEL%
goto :eof
:f
exit /b 3
