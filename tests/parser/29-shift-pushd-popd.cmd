shift
SHIFT /1
pushd "%DEPLOYMENT_TARGET%"
PUSHD ..\src
popd
