@echo off
type missing_zz.txt 2>&1 > f.txt
echo file holds:
type f.txt
