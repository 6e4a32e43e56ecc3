echo %VAR%
echo %A%%B%
echo "%DEPLOYMENT_TARGET%\env"
echo %weird name%
set X=%X%;more
