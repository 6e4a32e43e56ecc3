@echo off
> setter.cmd echo @set FROM_CHILD=yes
set FROM_CHILD=no
call setter.cmd
echo %FROM_CHILD%
