@echo off
echo x> "my file.txt"
copy "my file.txt" "other file.txt" >nul
del "my file.txt"
if not exist "my file.txt" if exist "other file.txt" echo ok
