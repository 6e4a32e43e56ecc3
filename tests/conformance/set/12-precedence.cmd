@echo off
set /a "A=2+3*4-6/2"
set /a "B=2+3<<1"
set /a "C=1|2&3"
set /a "D=6^3"
set /a "E=5>>1"
set /a "F=-3+10"
set /a "G=~0"
set /a "H=!0"
set /a "I=-(2+3)*2"
echo %A% %B% %C% %D% %E% %F% %G% %H% %I%
