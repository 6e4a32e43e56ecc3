@echo off
for /l %%i in (1,1,3) do echo up %%i
for /l %%i in (5,-2,1) do echo down %%i
for /l %%i in (3,1,1) do echo never %%i
for /l %%i in (0 1 0) do echo once %%i
