if exist a (
  echo a
) else echo not a
if exist b (echo b
) else (
  echo not b)
