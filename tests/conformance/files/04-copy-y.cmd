@echo off
echo new> src.txt
echo old> dst.txt
copy /Y src.txt dst.txt
type dst.txt
