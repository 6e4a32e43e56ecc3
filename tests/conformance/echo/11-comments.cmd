@echo off
REM a comment & echo not run
@rem another
:: colon comment
(
  echo visible
)
echo end
