@echo off
set /a X=10
set /a X+=5
echo %X%
set /a X-=3
echo %X%
set /a X*=2
echo %X%
set /a X/=4
echo %X%
set /a X%%=4
echo %X%
