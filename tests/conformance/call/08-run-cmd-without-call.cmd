@echo off
> other.cmd echo @echo in other
other.cmd
echo not printed
