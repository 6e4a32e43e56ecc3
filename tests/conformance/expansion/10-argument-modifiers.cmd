@echo off
call :parts "some dir\file.name.txt"
goto :eof
:parts
echo %~nx1
echo %~n1
echo %~x1
