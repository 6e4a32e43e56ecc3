@echo off
md sub
cd missing_folder_zz
echo after missing %ERRORLEVEL%
cd sub
echo after cd %ERRORLEVEL%
