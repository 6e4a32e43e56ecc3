@echo off
set OTHER=no
set "V=%%OTHER%%"
echo %V%
