(
  : été comment
  echo fine
)
