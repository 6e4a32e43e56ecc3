@echo off
set "X=a > out.txt"
echo %X%
if not exist out.txt echo no file made
