PIP INSTALL
pip install -r requirements.txt
PIP INSTALL . /INSTALLER uv
