@echo off
call :greet Alice "Bob Smith"
echo back
goto :eof
:greet
echo Hello %~1 and %~2
