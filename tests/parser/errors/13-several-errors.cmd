echo one
if a==b
echo two
for %%i in (x) echo
echo "open
echo three
)
echo four
