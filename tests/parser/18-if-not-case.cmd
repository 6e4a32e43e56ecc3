if not "%A%"=="b" echo differs
IF /I "%A%"=="B" echo same ignoring case
if /i not "%A%" == "b" echo both
