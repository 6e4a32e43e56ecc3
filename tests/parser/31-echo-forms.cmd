echo.
ECHO.text after dot
echo(
echo(open paren text
echo off
echo on
echo/
echo:colon
echo   
