@echo off
md tree\sub
echo x> tree\sub\f.txt
echo y> tree\g.txt
rd tree
if exist tree echo still there
rd /s /q tree
if not exist tree echo removed
