:
: 
echo fine
