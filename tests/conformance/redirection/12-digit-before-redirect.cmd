@echo off
set N=1
echo %N%> f.txt
type f.txt
echo %N% > g.txt
type g.txt
