@echo off
set X=value
echo Hello!
echo !X!
