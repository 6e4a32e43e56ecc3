@echo off
echo x > no_folder_zz\f.txt
echo errorlevel %ERRORLEVEL%
if exist no_folder_zz echo folder was made
