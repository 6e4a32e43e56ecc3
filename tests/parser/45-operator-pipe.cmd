type x.txt | findstr foo
dir /b | sort | more
