@echo off
for %%f in (*.nothing) do echo never %%f
echo after %ERRORLEVEL%
