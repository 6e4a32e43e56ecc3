@echo off
echo settings> web.config
md site
xcopy /y web.config site\web.config* >nul
echo %errorlevel%
type site\web.config
xcopy /y web.config site\renamed.config* >nul
type site\renamed.config
dir /b /a-d site
