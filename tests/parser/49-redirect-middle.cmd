echo a > out.txt b
>out.txt echo first
2>nul del x
echo a 2> err.txt & echo b
