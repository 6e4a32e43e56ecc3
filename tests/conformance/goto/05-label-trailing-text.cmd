@echo off
goto target
echo skipped
:target this text is ignored
echo reached
