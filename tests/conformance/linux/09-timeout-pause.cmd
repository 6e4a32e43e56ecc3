@echo off
timeout /t 1 /nobreak >nul
echo after timeout
pause >nul
echo after pause
