@echo off
set TARGET=chosen
goto %TARGET%
echo skipped
:chosen
echo reached chosen
