@echo off
md target
echo data> f.txt
move f.txt target\f.txt
if not exist f.txt type target\f.txt
move target renamed >nul
if exist renamed\f.txt echo folder moved
