@echo off
echo x> top.txt
md sub\deeper
pushd sub
echo x> in-sub.txt
pushd deeper
if not exist ..\in-sub.txt echo wrong
popd
if exist in-sub.txt echo back in sub
popd
if exist top.txt echo back at top
