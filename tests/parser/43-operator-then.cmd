echo a & echo b
echo a&echo b&echo c
cd src & 
