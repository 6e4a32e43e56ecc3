for %%i in (*.py) do echo %%i %%~nxi %%~dpi %%~ni
for %%a in (python) do echo %%~$PATH:a
for %%F in (x) do echo %%~fF %%~zF %%~tF
