@echo off
echo a ^& echo INJECTED> msg.txt
for /f "delims=" %%l in (msg.txt) do echo %%l
