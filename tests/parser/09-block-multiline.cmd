(
  echo one
  echo two

  echo after blank line
)
echo outside
