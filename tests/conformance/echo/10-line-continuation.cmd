@echo off
echo one ^
two ^
three
