echo one ^
two
set LONG=first^
second
call :sub a ^
  b
:sub
