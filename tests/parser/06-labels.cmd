:start
:Deployment trailing text is ignored
:end	after a tab
goto start
