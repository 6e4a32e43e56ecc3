@echo off
call :f
echo not printed
goto :eof
:f
echo in f
exit 5
