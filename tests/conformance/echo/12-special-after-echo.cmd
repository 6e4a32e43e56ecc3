@echo off
echo a=b, c;d /Q e
echo key = value
