@echo off
setlocal enabledelayedexpansion
set IDX=2
set ITEM_2=second
echo !ITEM_%IDX%!
