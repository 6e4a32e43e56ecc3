@echo off
set X=a^&b
echo "%X%"
set "Y=c&d"
echo "%Y%"
