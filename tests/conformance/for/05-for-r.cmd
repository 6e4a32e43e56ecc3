@echo off
md sub\deep
echo x> a.txt
echo x> sub\b.txt
echo x> sub\deep\c.txt
echo x> sub\skip.log
for /r %%f in (*.txt) do echo %%~nxf
