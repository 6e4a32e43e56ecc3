@echo off
if 1==2 (
  echo no
) else (
  echo yes
)
if 1==1 (
  echo first
) else (
  echo second
)
