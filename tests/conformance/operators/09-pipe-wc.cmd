@echo off
echo x> a.txt
echo y>> a.txt
echo z>> a.txt
type a.txt | wc -l
