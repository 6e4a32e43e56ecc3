@echo off
call :show one "two words" three
goto :eof
:show
echo 1=%1 2=%2 3=%3 4=[%4]
echo all=%*
