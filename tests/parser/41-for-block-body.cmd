for %%i in (a b) do (
  echo %%i
  if "%%i"=="b" echo last
)
for /f "tokens=*" %%l in (x.txt) do (echo %%l) >> out.txt
for %%i in (a b) do (echo %%i) & echo each pass
