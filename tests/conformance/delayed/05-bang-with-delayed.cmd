@echo off
setlocal enabledelayedexpansion
echo [!NOT_DEFINED_ZZ!]
echo Hi!
echo a^^!b
