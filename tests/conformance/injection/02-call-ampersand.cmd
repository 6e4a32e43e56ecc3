@echo off
set "X=echo safe & echo INJECTED"
call %X%
