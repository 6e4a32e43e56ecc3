@echo off
set /a "A=1, B=A+1, C=B*3"
set /a "X=Y=4"
echo %A% %B% %C% %X% %Y%
