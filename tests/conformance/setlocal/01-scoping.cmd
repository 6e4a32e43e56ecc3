@echo off
set KEEP=outer
setlocal
set KEEP=inner
set NEW=local
echo inside %KEEP% %NEW%
endlocal
echo outside %KEEP% [%NEW%]
