echo "a & b | c > d < e"
set "V=x^y"
echo "%V%" & echo "after"
