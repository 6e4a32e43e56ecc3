echo "no closing quote
echo fine
