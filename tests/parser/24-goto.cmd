goto deploy
GOTO :deploy
goto :EOF
goto :eof
goto deploy trailing ignored
:deploy
