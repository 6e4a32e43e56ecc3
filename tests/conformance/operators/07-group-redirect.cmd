@echo off
(echo a & echo b) > out.txt
(
echo c
echo d
) >> out.txt
type out.txt
