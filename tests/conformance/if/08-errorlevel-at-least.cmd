@echo off
call :ret 2
if errorlevel 1 echo at least 1
if errorlevel 2 echo at least 2
if errorlevel 3 echo at least 3
if not errorlevel 3 echo less than 3
if errorlevel 0 echo at least 0
exit /b 0
:ret
exit /b %1
