@echo off
call :f "x=1;y" a,b;c=d
goto :eof
:f
echo [%1] [%2] [%3] [%4] [%5]
