@echo off
call :outer A1 A2
echo main done
goto :eof
:outer
echo outer %1 %2
call :inner B1
echo outer again %1 %2
goto :eof
:inner
echo inner %1 [%2]
shift
echo inner shifted [%1]
