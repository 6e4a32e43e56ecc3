@echo off
echo x
dir nonexistent_zz 2>nul
