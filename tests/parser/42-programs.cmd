npm install --production
node server.js 8080
"C:\Program Files\Git\bin\git.exe" status
%PYTHON_EXE% -m pip --version
kuduSync -v 50 -f "%DEPLOYMENT_SOURCE%" -t "%DEPLOYMENT_TARGET%"
timeout /t 5 /nobreak
