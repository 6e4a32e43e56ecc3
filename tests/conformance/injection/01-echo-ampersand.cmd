@echo off
set "X=x & echo INJECTED"
echo %X%
