@echo off
echo x> report.final.txt
for %%f in (*.txt) do echo %%~nf / %%~xf / %%~nxf
