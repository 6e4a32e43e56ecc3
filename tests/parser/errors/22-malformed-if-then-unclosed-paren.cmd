if a==b
echo fine
if exist x (
  echo x
