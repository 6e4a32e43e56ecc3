@echo off
set P=a-b-c
echo %P:-=+%
echo %P:-=%
set T=Hello hello HELLO
echo %T:hello=bye%
