@echo off
echo first line> v.txt
echo second>> v.txt
set /p V=<v.txt
echo [%V%]
