@echo off
copy NUL empty.txt >nul
if exist empty.txt echo made
for %%f in (empty.txt) do echo size %%~zf
