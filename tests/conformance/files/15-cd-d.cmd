@echo off
echo x> top.txt
md sub
cd /d sub
if not exist top.txt echo in sub
cd ..
if exist top.txt echo back at top
