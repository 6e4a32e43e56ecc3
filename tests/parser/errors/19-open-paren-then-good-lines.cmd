echo (
echo fine
if a==b (echo x
echo also fine
