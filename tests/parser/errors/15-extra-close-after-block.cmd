(echo a))
echo fine
