for /f "usebackq tokens=*" %%a in (`python --version`) do set PYV=%%a
for /f "delims=" %%a in ('where python') do set PY=%%a
for /f "usebackq delims=" %%a in ("file with spaces.txt") do echo %%a
