@echo off
dir nonexistent_zz 2>nul
exit /b
