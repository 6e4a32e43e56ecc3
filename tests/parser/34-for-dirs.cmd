for /d %%d in (*) do echo %%d
FOR /D %%D IN ("%DEPLOYMENT_TARGET%\*") DO rd /s /q "%%D"
