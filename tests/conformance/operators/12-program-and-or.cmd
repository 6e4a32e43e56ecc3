@echo off
python3 -c "import sys; sys.exit(1)" && echo not printed|| echo program failed
python3 -c "import sys; sys.exit(0)" && echo program succeeded|| echo not printed
