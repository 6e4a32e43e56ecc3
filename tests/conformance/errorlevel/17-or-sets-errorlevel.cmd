@echo off
echo x > no_folder_zz\f.txt
echo plain %ERRORLEVEL%
echo x > no_folder_zz\f.txt || echo redirect failed
echo with or %ERRORLEVEL%
exit /b 0
