@echo off
md d
md d
echo after existing %ERRORLEVEL%
md e
echo after new %ERRORLEVEL%
