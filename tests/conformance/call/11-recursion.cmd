@echo off
call :down 3
echo end
goto :eof
:down
if %1 LEQ 0 goto :eof
echo %1
set /a NEXT=%1-1
call :down %NEXT%
echo unwind %1
