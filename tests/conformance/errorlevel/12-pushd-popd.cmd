@echo off
pushd missing_folder_zz
echo after missing %ERRORLEVEL%
md sub
pushd sub
echo after pushd %ERRORLEVEL%
popd
popd
echo after extra popd %ERRORLEVEL%
