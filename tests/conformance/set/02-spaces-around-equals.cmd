@echo off
set X = y
echo [%X %]
echo [%X%]
