MD "%DEPLOYMENT_TEMP%"
mkdir a\b
RD /S /Q env
rmdir old
DEL /Q /F *.pyc
erase x.tmp
COPY /Y a.txt b.txt
XCOPY /E /I /Y src dst
MOVE /Y a b
REN old.txt new.txt
rename a b
TYPE requirements.txt
WHERE python
dir /b /s *.py
