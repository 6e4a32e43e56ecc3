@echo off
goto MyLabel
echo skipped
:MYLABEL
echo reached one
goto :second
echo skipped
:Second
echo reached two
