for %%i (a b) do echo %%i
echo fine
