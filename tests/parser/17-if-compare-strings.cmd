if "%A%"=="b" echo same
if "%A%" == "b" echo spaced
if %A%==b echo unquoted
if x%A%==x echo empty
if "%~1"=="" goto usage
