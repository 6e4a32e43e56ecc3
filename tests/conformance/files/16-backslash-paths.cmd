@echo off
md one\two
echo deep> one\two\f.txt
type one\two\f.txt
type .\one\two\f.txt
cd one\two
type ..\two\f.txt
