@echo off
echo x> marker.txt
md sub
setlocal
cd sub
if not exist marker.txt echo in sub
endlocal
if exist marker.txt echo back at top
