@echo off
set A=5
set /a B=A*2+1
set /a C=%A%+1
set /a D=UNDEFINED_ZZ+4
echo %B% %C% %D%
