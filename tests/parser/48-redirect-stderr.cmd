where node 2>nul >nul
python -m pip install -r requirements.txt > log.txt 2>&1
echo warning 1>&2
del x.tmp >NUL 2>nul
echo x 2>>err.log
