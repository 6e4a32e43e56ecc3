for %%i in (a b c) do echo %%i
FOR %%f IN (*.txt "with space.txt") DO type "%%f"
for %%x in () do echo never
