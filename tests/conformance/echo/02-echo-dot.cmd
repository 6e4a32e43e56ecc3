@echo off
echo before
echo.
echo.after dot
