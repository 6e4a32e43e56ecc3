@echo off
@@echo twice quiet
@ echo space after at
  @echo indented
