@echo off
type missing_zz.txt 2> err.txt
type err.txt
