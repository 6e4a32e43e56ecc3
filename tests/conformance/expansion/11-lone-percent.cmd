@echo off
echo 100% sure
echo 50% and 60%
echo end
