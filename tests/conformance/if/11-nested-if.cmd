@echo off
if 1==1 if 2==2 echo both
if 1==1 if 2==3 (echo x) else (echo inner else)
if 1==2 if 2==2 (echo x) else (echo not printed)
echo done
