@echo off
set A=1
set B=%A%%A%2
set NAME=world
echo %B% hello-%NAME%.txt
