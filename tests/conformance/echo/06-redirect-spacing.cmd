@echo off
echo spaced > a.txt
echo tight>b.txt
>c.txt echo front
echo middle >d.txt text
type a.txt
type b.txt
type c.txt
type d.txt
