@echo off
set V=1
if defined V echo defined
if defined v echo any case
set V=
if defined V (echo still) else (echo gone)
