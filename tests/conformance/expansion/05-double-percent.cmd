@echo off
set V=x
echo 50%%
echo %%V%%
