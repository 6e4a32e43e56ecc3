@echo off
echo [%NOT_DEFINED_ZZ%]
echo a%NOT_DEFINED_ZZ%b
