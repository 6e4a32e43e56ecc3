@echo off
echo to stdout
echo to stderr 1>&2
echo also stderr>&2
