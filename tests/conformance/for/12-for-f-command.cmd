@echo off
echo one> list.txt
echo two>> list.txt
for /f %%l in ('type list.txt') do echo got %%l
for /f "tokens=2" %%w in ('echo first second third') do echo %%w
