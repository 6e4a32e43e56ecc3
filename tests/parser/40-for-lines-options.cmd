for /f "skip=1 eol=; tokens=1-3* delims=	 " %%a in (table.txt) do echo %%a %%d
FOR /F "eol=# tokens=2,3 delims=:" %%x IN (x.txt) DO echo %%x %%y
for /f %%a in ('dir /b') do echo %%a
