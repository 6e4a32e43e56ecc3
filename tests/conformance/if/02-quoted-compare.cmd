@echo off
set EMPTY=
if "%EMPTY%"=="" echo empty
if "a b"=="a b" echo spaced
if "x"==x (echo equal) else (echo quotes count)
