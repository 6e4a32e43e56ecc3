if %N% EQ 1 echo x
echo fine
