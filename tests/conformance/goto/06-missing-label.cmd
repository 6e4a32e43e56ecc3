@echo off
echo before
goto nowhere
echo not printed
