@echo off
if exist nothing_zz (
  echo a
  echo b
) else (
  echo c
  if 1==1 (
    echo d
  )
  echo e
)
