@echo off
setlocal enabledelayedexpansion
set "X=y & echo INJECTED"
echo !X!
