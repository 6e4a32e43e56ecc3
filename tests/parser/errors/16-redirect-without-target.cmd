echo hi >
echo fine
