@echo off
set D=%~dp0
if "%D:~-1%"=="\" echo trailing separator
if "%D:~-1%"=="/" echo trailing separator
if exist "%~dp0%~nx0" echo script found
md sub
cd sub
if exist "%~dp0%~nx0" echo still found from a subfolder
