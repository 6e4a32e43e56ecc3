@echo one & echo two
echo three & @echo four
@a && b | c
