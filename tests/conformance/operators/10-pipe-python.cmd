@echo off
echo hello pipe| python3 -c "import sys; print(sys.stdin.read().strip().upper())"
