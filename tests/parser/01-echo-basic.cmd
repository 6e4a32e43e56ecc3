echo hi there 
ECHO  two spaces kept
echo	tab separated
echo
