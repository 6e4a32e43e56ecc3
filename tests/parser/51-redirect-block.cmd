(
  echo one
  echo two
) > out.txt 2>&1
(echo a) >> log.txt
