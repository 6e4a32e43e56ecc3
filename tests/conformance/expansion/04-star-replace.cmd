@echo off
set U=path/to/file
echo %U:*/=%
echo %U:*to=X%
