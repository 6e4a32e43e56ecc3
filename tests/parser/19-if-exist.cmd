IF EXIST "%DEPLOYMENT_TARGET%\requirements.txt" echo yes
if not exist env\ md env
IF EXIST *.whl del *.whl
