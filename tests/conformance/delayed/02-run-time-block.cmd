@echo off
setlocal enabledelayedexpansion
set X=old
(
  set X=new
  echo inside !X!
)
