@echo off
> helper.cmd echo @echo off
>> helper.cmd echo echo in helper %%1 %%~2
>> helper.cmd echo exit /b 4
call helper.cmd arg1 "arg two"
echo back %ERRORLEVEL%
exit /b 0
