@echo off
setlocal enabledelayedexpansion
set Y=old
set Y=new& echo [%Y%] [!Y!]
