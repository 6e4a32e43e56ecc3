@echo off
python3.exe -c "print('ran python3')"
echo %ERRORLEVEL%
