@echo off
set ZZTEST_B=2
set zztest_a=1
set ZZTEST_C=3
set ZZTEST
echo errorlevel %ERRORLEVEL%
