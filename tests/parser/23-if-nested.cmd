IF NOT EXIST "a" (
  IF EXIST "b" (
    echo b only
  ) ELSE (
    if defined C echo c
  )
)
if a==a if b==b echo both
