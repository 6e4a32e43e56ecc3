@echo off
echo before
goto skip
echo not printed
:skip
echo after
