dir/b
cd\temp
echo+plus
md..\x
type.\a.txt
