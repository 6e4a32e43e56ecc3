(
  (
    echo deep
    (echo deeper)
  )
  echo back
)
