@echo off
echo hello world
echo  one leading space
ECHO Upper Case Command
