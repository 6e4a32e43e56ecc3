@echo off
> child.cmd echo @echo in child
>> child.cmd echo ()
call child.cmd
echo parent not printed
