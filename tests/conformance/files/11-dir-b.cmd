@echo off
md beta
md alpha
echo x> c.txt
echo x> b.txt
dir /b
echo ---
dir /b /ad
echo ---
dir /b /a-d
echo ---
dir /b *.txt
