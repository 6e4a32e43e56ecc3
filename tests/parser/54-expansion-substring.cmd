echo %V:~0,5%
echo %V:~-3%
echo %V:~2%
echo %V:~0,-1%
echo %V:~-5,2%
echo %DATE:~10,4%
