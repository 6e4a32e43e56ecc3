@echo off
python3 -c "import sys; sys.exit(3)"
echo %ERRORLEVEL%
if errorlevel 3 echo at least 3
python3 -c "pass"
echo %ERRORLEVEL%
