@echo off
md Data
echo one> Data\Readme.txt
echo two>> DATA\README.TXT
type data\readme.txt
if exist DATA\readme.TXT echo exists
cd data
if exist Readme.txt echo cd worked
