@echo off
set V=crlf
goto show
echo skipped
:show
echo value [%V%]
if "%V%"=="crlf" (
  echo block works
)
