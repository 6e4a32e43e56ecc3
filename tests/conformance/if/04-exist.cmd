@echo off
echo x> present.txt
md folder
if exist present.txt echo file
if exist folder echo folder
if exist *.txt echo wildcard
if exist *.log (echo log) else (echo no log)
if exist "present.txt" echo quoted
