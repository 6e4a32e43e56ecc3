@echo off
call :sub
echo back in main
goto :eof
:sub
echo in sub
goto :eof
echo not printed
