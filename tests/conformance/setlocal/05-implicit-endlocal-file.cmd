@echo off
> child.cmd echo @setlocal
>> child.cmd echo @set CHILD=set in child
>> child.cmd echo @echo child sees %%CHILD%%
set CHILD=caller
call child.cmd
echo %CHILD%
