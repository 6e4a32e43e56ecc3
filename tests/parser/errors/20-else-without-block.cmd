if a==b (echo a) else
echo fine
