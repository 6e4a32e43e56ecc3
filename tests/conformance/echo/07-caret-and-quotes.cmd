@echo off
echo a ^& b
echo "x & y | z"
echo 100%%
echo a ^> b
