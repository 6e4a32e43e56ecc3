@echo off
set ZZNOPE
echo errorlevel %ERRORLEVEL%
