if %N% EQU 1 echo equ
if %N% NEQ 1 echo neq
if %N% LSS 1 echo lss
if %N% LEQ 1 echo leq
if %N% GTR 1 echo gtr
if %N% geq 1 echo geq
if "%SCM_TRACE_LEVEL%" NEQ "4" @echo off
