echo a2>x1.txt
echo 12>x2.txt
echo b 2>x3.txt
