@echo off
where python3 >nul
echo found %ERRORLEVEL%
where no_such_program_zz
echo missing %ERRORLEVEL%
where /q no_such_program_zz
echo quiet %ERRORLEVEL%
exit /b 0
