@echo off
set "Q=a b"
set "R=kept"   ignored text
echo [%Q%]
echo [%R%]
