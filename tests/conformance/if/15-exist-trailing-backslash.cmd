@echo off
md folder
echo x> file.txt
if exist folder\ (echo folder is a folder) else (echo wrong)
if exist file.txt\ (echo wrong) else (echo file is not a folder)
