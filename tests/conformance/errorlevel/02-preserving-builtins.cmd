@echo off
call :fail 3
echo one
rem comment
if 1==1 echo two
for %%i in (x) do echo %%i
shift
endlocal
goto next
:next
echo still %ERRORLEVEL%
exit /b 0
:fail
exit /b %1
