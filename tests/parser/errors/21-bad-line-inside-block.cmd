if exist a (
  echo hi >
  echo fine
)
echo after
