@echo off
echo a 2>nul b
echo c> f.txt d
type f.txt
