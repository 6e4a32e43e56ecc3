@echo off
echo line one> f.txt
echo line two>> f.txt
type f.txt
