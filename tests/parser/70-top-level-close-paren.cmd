echo a)
echo (b)
echo "(quoted)"
