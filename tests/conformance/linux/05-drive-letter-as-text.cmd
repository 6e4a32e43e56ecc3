@echo off
set P=C:\Python27\python.exe
echo %P%
echo D:\home\site
