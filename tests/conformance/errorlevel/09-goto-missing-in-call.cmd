@echo off
call :sub
echo caller continues %ERRORLEVEL%
exit /b 0
:sub
goto no_such_label
echo not printed
