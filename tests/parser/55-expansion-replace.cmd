echo %V:a=b%
echo %PATH:;= %
echo %V:*x=%
echo %V:old=%
echo %CD:\=/%
