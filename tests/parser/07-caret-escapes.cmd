echo a ^& b
echo ^<tag^>
echo pipe^|here
echo caret^^
echo ^"not a quote
echo "^ stays in quotes"
