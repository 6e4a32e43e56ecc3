@echo off
if "10" GTR "9" (echo numeric) else (echo string order)
if 10 GTR 9 (echo numeric) else (echo string order)
if apple LSS banana echo apple first
if abc EQU abc echo equ on strings
if /I ABC EQU abc echo equ ignoring case
