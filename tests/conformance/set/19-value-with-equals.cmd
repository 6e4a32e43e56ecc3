@echo off
set KV=a=b=c
echo %KV%
