@echo off
echo before
C:\tools\hello.exe --version
echo not printed
