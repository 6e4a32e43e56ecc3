@echo off
set V=kept
endlocal
echo %V%
