if a==b
echo fine
