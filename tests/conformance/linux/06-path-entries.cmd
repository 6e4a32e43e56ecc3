@echo off
md tools
echo #!/bin/sh> tools\hello
echo echo hello from tools>> tools\hello
python3 -c "import os; os.chmod('tools/hello', 0o755)"
set PATH=%CD%\tools;%PATH%
hello
