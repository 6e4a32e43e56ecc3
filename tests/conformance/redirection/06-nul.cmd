@echo off
echo hidden > NUL
echo hidden>nul
type missing_zz.txt 2>nul
type missing_zz.txt 2>Nul >nul
echo shown
exit /b %ERRORLEVEL%
