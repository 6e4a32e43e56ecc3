@echo off
call :sub > out.txt
echo captured:
type out.txt
goto :eof
:sub
echo from sub 1
echo from sub 2
