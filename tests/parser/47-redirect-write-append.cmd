echo hi > out.txt
echo hi >out.txt
echo more >> out.txt
echo more>>"%LOG_FILE%"
echo one 1> out.txt
