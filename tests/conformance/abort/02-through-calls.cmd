@echo off
call :outer
echo main not printed
goto :eof
:outer
call :inner
echo outer not printed
goto :eof
:inner
echo in inner
()
echo inner not printed
