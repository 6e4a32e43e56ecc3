@echo off
echo x| python3 -c "import sys; sys.exit(2)"
echo %ERRORLEVEL%
exit /b 0
