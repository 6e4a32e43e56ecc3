SET /A X=1+2
set /a "Y=(X*3)%%7"
set /A COUNT+=1
set /a Z=X ^& 1
