@echo off
set V=before
call :sub
echo after call %V% [%SUBVAR%]
goto :eof
:sub
setlocal
set V=changed
set SUBVAR=x
echo in sub %V%
goto :eof
