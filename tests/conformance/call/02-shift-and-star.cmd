@echo off
call :args a b c d
goto :eof
:args
echo %1 / %*
shift
echo %1 %2 / %*
shift
echo %1 %2 / %*
