@echo off
copy missing_zz.txt out.txt
echo after missing %ERRORLEVEL%
echo x> a.txt
copy a.txt b.txt
echo after copy %ERRORLEVEL%
