@echo off
set NAME=value
set SPACED=a b  c
echo [%NAME%]
echo [%SPACED%]
