@echo off
setlocal enabledelayedexpansion
set LIST=
set OLD=
for %%i in (a b c) do set LIST=!LIST!%%i
for %%i in (a b c) do set OLD=%OLD%%%i
echo !LIST!
echo %OLD%
