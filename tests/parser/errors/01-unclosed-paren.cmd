echo before
if exist a (
  echo a
echo never closed
