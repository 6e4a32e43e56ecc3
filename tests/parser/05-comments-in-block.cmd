if defined X (
  :: comment inside a block
  echo one
  rem another comment
  :labelish text inside a block
  echo two
)
