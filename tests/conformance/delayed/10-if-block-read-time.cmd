@echo off
set V=1
if 1==1 (
  set V=2
  if %V%==1 echo read-time still 1
)
echo now %V%
