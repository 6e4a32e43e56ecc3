for /f "tokens=1,2 delims=," %%a in (data.csv) do echo %%a %%b
for /f %%l in (requirements.txt) do echo %%l
