@echo off
echo data> old.txt
ren old.txt new.txt
if not exist old.txt type new.txt
