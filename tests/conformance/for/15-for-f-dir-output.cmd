@echo off
md beta
md alpha
echo x> file.txt
for /f "delims=" %%d in ('dir /b /ad') do echo folder %%d
