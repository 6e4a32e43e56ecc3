@echo off
for /f "tokens=2 delims==" %%v in ("key=value") do echo %%v
for /f "tokens=1-3" %%a in ("x y z") do echo %%c%%b%%a
