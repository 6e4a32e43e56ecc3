@echo off
type missing_zz.txt 2>nul && echo yes|| echo no
echo x> here.txt
type here.txt >nul && echo yes|| echo no
