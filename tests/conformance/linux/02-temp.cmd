@echo off
if defined TEMP echo TEMP defined
echo scratch> "%TEMP%\conformance-%~n0.txt"
type "%TEMP%\conformance-%~n0.txt"
del "%TEMP%\conformance-%~n0.txt"
if not exist "%TEMP%\conformance-%~n0.txt" echo cleaned up
