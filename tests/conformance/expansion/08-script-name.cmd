@echo off
echo %~nx0
echo %~n0
echo %~x0
