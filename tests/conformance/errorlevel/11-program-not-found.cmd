@echo off
no_such_program_zz --version
echo %ERRORLEVEL%
exit /b 0
