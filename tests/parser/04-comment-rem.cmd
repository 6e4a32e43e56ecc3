REM upper case
rem lower case & echo not run
@REM quiet comment
@rem
Rem mixed case > not-a-file.txt
