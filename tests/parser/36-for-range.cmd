for /l %%n in (1,1,5) do echo %%n
FOR /L %%n IN (10, -2, 0) DO echo %%n
