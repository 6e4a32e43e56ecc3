@echo off
setlocal enabledelayedexpansion
set S=abcdef
echo !S:~1,2! !S:~-2! !S:c=X!
