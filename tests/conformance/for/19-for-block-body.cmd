@echo off
for %%i in (a b) do (
  echo start %%i
  echo end %%i
)
