@echo off
python3 -c "print('from python')" | cat
