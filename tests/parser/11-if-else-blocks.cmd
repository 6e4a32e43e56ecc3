IF EXIST "x.txt" (
  echo found
) ELSE (
  echo missing
)
if "%A%"=="b" (echo one) else (echo two)
if defined X (
  echo x
) else if defined Y (
  echo y
) else (
  echo none
)
