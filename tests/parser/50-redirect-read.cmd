sort < names.txt
set /p V= < "%TEMP%\v.txt"
findstr x <in.txt >out.txt
