@echo off
dir nonexistent_zz 2>nul
goto :eof
