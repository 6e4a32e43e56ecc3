@echo off
call :set_level 3
call :die 2>nul
echo not printed
goto :eof
:set_level
exit /b %1
:die
()
