@echo off
set V=0
setlocal
set V=1
setlocal
set V=2
echo %V%
endlocal
echo %V%
endlocal
echo %V%
