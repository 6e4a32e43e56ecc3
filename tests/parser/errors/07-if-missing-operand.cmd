if exist
if defined
echo fine
