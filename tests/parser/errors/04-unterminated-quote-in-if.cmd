if "%A%=="b" echo x
echo fine
