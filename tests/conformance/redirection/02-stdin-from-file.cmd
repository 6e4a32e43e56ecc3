@echo off
echo line one> in.txt
echo line two>> in.txt
python3 -c "import sys; print(len(sys.stdin.read().splitlines()))" < in.txt
