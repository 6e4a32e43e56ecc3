@echo off
type missing_zz.txt
echo after missing %ERRORLEVEL%
echo content> a.txt
type a.txt
echo after type %ERRORLEVEL%
