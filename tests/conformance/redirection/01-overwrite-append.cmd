@echo off
echo first> f.txt
echo second>> f.txt
echo replaced> g.txt
echo old> g.txt
echo new> g.txt
echo appended>> new.txt
type f.txt
type g.txt
type new.txt
