@echo off
for %%i in (1 2 3) do (
  echo %%i
  if %%i==2 goto out
)
:out
echo out
