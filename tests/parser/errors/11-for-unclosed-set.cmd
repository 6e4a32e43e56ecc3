for %%i in (a b do echo %%i
echo fine
