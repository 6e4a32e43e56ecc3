for /r %%f in (*.pyc) do del "%%f"
FOR /R "%DEPLOYMENT_TARGET%" %%f IN (*.tmp) DO echo %%f
for /r src %%f in (.) do echo %%f
