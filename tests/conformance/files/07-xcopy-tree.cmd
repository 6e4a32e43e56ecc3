@echo off
md src\sub\empty
echo one> src\a.txt
echo two> src\sub\b.txt
xcopy src dst /E /I /Y >nul
type dst\a.txt
type dst\sub\b.txt
if exist dst\sub\empty echo empty folder copied
