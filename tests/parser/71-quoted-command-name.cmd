"%PYTHON_EXE%" -m pip install -r requirements.txt
"my tool.exe"
%TOOL% --flag
