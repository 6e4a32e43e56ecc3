@echo off
echo x> a.log
echo x> b.log
echo x> keep.txt
del /q *.log
if not exist a.log if not exist b.log echo logs gone
if exist keep.txt echo txt kept
