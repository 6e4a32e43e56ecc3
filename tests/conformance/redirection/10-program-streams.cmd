@echo off
python3 -c "import sys; print('out'); sys.stdout.flush(); sys.stderr.write('err\n')"
python3 -c "import sys; print('out2'); sys.stdout.flush(); sys.stderr.write('err2\n')" 2>&1
python3 -c "import sys; sys.stderr.write('quiet\n')" 2>nul
