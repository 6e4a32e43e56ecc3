@echo off
echo before
cd /d "%SYSTEMDRIVE%\home\site"
echo not printed
