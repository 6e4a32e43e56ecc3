exit /b 1
EXIT /B %ERRORLEVEL%
exit /b
exit
