@echo on
@echo one
@echo two
@echo off
echo three
