echo 100%%
echo %%%%
set /a R=7 %% 3
echo 50% off
