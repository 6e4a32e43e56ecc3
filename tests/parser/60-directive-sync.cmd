SYNC
sync "%DEPLOYMENT_SOURCE%" "%DEPLOYMENT_TARGET%" /IGNORE .git;.hg
Sync . wwwroot
