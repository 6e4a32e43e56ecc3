if exist a (
  if exist b (
    echo b
  )
