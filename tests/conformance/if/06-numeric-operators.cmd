@echo off
if 10 GTR 9 echo 10 GTR 9
if 2 LSS 10 echo 2 LSS 10
if 5 EQU 5 echo 5 EQU 5
if 5 NEQ 6 echo 5 NEQ 6
if 5 LEQ 5 echo 5 LEQ 5
if 6 GEQ 5 echo 6 GEQ 5
if -1 LSS 0 echo -1 LSS 0
if 0x10 EQU 16 echo hex
if 010 EQU 8 echo octal
if 7 gtr 3 echo lower-case operator
