@echo off
set /a N=0
:loop
set /a N+=1
echo pass %N%
if %N% LSS 3 goto loop
echo done
