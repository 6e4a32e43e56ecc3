@echo off
set Foo=1
echo %FOO% %foo% %Foo%
set FOO=2
echo %foo%
if defined fOO echo defined
