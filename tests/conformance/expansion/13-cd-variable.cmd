@echo off
md sub
cd sub
echo %CD:~-3%
cd ..
set HERE=%CD%
cd sub
if not "%CD%"=="%HERE%" echo changed
set CD=fake
echo %CD%
