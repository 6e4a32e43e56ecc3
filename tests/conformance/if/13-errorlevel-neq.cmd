@echo off
type missing_file_zz.txt 2>nul
IF %ERRORLEVEL% NEQ 0 echo failed with %ERRORLEVEL%
call :succeed
IF %ERRORLEVEL% NEQ 0 (echo still failing) else (echo reset)
goto :eof
:succeed
exit /b 0
