@echo off
call :each one "two 2" three
goto :eof
:each
if "%~1"=="" goto :eof
echo arg: %~1
shift
goto each
