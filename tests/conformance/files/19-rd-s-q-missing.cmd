@echo off
rd /s /q missing_folder_zz 2>nul
rd /s /q missing_folder_zz
echo done
