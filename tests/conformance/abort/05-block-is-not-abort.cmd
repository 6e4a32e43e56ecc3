@echo off
(echo in block)
( echo spaced block )
echo after
