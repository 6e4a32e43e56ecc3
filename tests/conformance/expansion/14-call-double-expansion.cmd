@echo off
set A=B
set B=hello
call echo %%%A%%%
set S=abcdef
set N=2
call echo %%S:~%N%,2%%
