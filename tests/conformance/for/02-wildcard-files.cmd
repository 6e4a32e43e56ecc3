@echo off
echo x> b.txt
echo x> a.txt
echo x> c.log
md d.txt.folder
for %%f in (*.txt) do echo %%f
