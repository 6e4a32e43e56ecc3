@echo off
type nul
type NUL > empty.txt
for %%f in (empty.txt) do echo size %%~zf
echo gone> nul
if exist nul echo nul exists
