if "a b"=="a b" echo same
if not exist "%X%" (md "%X%") else (echo exists)
set "PATH=%PATH%;%~dp0bin"
call :sub "a" && echo ok || echo failed
2>nul (echo a)
@if defined X @if not defined Y echo only X
for /f "tokens=1* delims==" %%a in ('set PYTHON') do if "%%a"=="PYTHON_EXE" set PY=%%b
echo %~dp0..\env & exit /b 0
:sub
