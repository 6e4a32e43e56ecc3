@echo off
for /f "tokens=*" %%v in ('python3 -c "print(3*7)"') do set R=%%v
echo %R%
