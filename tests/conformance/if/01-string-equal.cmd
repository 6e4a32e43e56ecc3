@echo off
if abc==abc echo same
if abc==ABC (echo same) else (echo different)
if /I abc==ABC echo same ignoring case
if a == a echo spaces around ==
