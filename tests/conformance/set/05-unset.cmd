@echo off
set X=1
set Y=2
set X=
set "Y="
if defined X (echo X still) else (echo X gone)
if defined Y (echo Y still) else (echo Y gone)
echo [%X%][%Y%]
