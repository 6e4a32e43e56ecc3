@echo off
(echo out & type missing_zz.txt) > all.txt 2>&1
type all.txt
