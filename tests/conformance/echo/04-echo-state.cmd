@echo off
echo
@ECHO On
@echo
@Echo OFF
echo
