@echo off
md d2
md d1
echo x> file.txt
for /d %%d in (*) do echo %%d
