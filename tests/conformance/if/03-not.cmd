@echo off
if not a==b echo not equal
if not exist no_such_file_zz echo no file
if not defined NOT_DEFINED_ZZ echo not defined
if not a==a (echo wrong) else (echo negated)
