@echo off
for %%i in (a b "c d") do echo %%i
for %%i in (one,two;three) do echo %%i
