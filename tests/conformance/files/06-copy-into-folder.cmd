@echo off
md dest
echo data> src.txt
copy src.txt dest >nul
copy /y src.txt dest\ >nul
type dest\src.txt
