@echo off
> show.cmd echo @echo [%%~1] [%%~2] [%%3]
set _CMD_="show.cmd" "a b" c
call %_CMD_%
echo after
