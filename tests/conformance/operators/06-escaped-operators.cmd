@echo off
echo a ^| b ^&^& c
echo "a & b" & echo c
