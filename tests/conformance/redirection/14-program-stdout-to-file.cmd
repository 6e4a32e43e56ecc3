@echo off
python3 -c "print('one')" > out.txt
python3 -c "print('two')" >> out.txt
type out.txt
