for /f "tokens=1 %%a in (x.txt) do echo %%a
echo fine
