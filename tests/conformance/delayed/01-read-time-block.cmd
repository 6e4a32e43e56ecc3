@echo off
set X=old
(
  set X=new
  echo inside %X%
)
echo after %X%
