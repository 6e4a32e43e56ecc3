@echo off
set /a H=0x1F
set /a O=010
set /a S=0x10+010
echo %H% %O% %S%
