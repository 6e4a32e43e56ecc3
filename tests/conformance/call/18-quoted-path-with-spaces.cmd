@echo off
md "my tools"
> "my tools\step.cmd" echo @echo step got [%%~1] [%%2]
set _CMD_="%CD%\my tools\step.cmd" "first arg" second
call %_CMD_%
echo errorlevel %ERRORLEVEL%
