CD /D "%DEPLOYMENT_TARGET%"
cd ..
cd..
chdir src
cd\
cd
