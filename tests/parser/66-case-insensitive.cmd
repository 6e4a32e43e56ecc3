Echo Mixed
SeT X=1
If Not Exist a Md a
For %%i In (a) Do Echo %%i
fOr /F "tokens=1" %%a iN ("x y") dO echo %%a
GoTo :Eof
