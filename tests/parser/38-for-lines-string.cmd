for /f "tokens=2 delims==" %%v in ("key=value") do set V=%%v
for /f "delims=" %%v in ("%PYTHON_VER%") do echo %%v
