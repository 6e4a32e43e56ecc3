@echo off
call :show "a&b"
goto :eof
:show
echo %~1
