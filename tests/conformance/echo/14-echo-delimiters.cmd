@echo off
echo;
echo;semi
echo,comma
echo=equals
echo,
echo=
set EMPTY=
echo,%EMPTY%
echo;on
echo;;two
echo ;spaced
echo
