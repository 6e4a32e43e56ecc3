SET NAME=value
set NAME=value with spaces 
set "QUOTED=a & b"
set EMPTY=
SET PATH=%PATH%;C:\tools
set "TRIMMED=keep"   junk after the quote
set X="quoted value"
