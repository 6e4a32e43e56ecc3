@echo off
set EMPTY=
echo %EMPTY%
echo.%EMPTY%
echo(%EMPTY%
