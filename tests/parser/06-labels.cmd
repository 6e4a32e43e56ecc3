:start
:Deployment trailing text is ignored
:end	after a tab
:with+plus
goto start
