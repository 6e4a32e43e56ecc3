@echo off
md a\b\c
mkdir x y
if exist a\b\c echo nested made
if exist x if exist y echo both made
