(
  echo "open
  echo fine
)
