@echo off
for %%p in ("sub dir\archive.tar.gz") do (
  echo %%~p
  echo %%~nxp
  echo %%~np
  echo %%~xp
)
