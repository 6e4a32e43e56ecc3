@echo off
md src\sub\empty
md src\.git
echo one> src\a.txt
echo two> src\sub\b.txt
echo git> src\.git\HEAD
echo skip> src\deploy.cmd
robocopy src dst /MIR /XD .git /XF deploy.cmd /NFL /NDL /NJH /NJS /NP
echo first %errorlevel%
robocopy src dst /MIR /XD .git /XF deploy.cmd /NFL /NDL /NJH /NJS /NP
echo again %errorlevel%
echo extra> dst\extra.txt
md dst\old
robocopy src dst /E /XD .git /XF deploy.cmd /NFL /NDL /NJH /NJS /NP
echo extras kept %errorlevel%
if exist dst\extra.txt if exist dst\old echo the extras are still there
robocopy src dst /MIR /XD .git /XF deploy.cmd /NFL /NDL /NJH /NJS /NP /R:2 /W:1
echo purged %errorlevel%
if not exist dst\extra.txt if not exist dst\old echo the extras are deleted
if exist dst\sub\empty echo the empty folder is copied
if not exist dst\.git if not exist dst\deploy.cmd echo the exclusions are left out
type dst\sub\b.txt
robocopy missing dst /NJH /NJS
if %errorlevel% geq 8 echo fatal %errorlevel%
