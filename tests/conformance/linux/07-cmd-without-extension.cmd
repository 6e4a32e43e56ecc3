@echo off
> helper.cmd echo @echo helper ran with %%1
call helper first
echo back
