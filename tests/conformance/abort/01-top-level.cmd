@echo off
echo before
()
echo not printed
