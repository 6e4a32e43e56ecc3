@echo off
set /a X=1+2*3
set /A Y=(1+2)*3
set /a Z=7/2
set /a N=-7/2
set /a M=7%%3
echo %X% %Y% %Z% %N% %M%
