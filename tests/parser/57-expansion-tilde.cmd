echo %~1
echo %~dp0
echo %~nx1 %~f0 %~d0 %~p0 %~n0 %~x0
echo %~dpnx0 %~s0 %~a1 %~t1 %~z1
echo %~$PATH:1
echo %~dp$PATH:1
SET ARTIFACTS=%~dp0%..\artifacts
