@echo off
call :strip "quoted arg" plain
goto :eof
:strip
echo [%~1] [%~2] [%~3]
