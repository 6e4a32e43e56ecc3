@echo off
if 1==2 (echo no) else echo yes
if 1==1 (echo a) else (echo b)
if exist missing_zz (echo found) else echo not found
