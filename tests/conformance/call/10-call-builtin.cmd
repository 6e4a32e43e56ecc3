@echo off
call echo called echo
set X=1
call set Y=%%X%%2
echo %Y%
