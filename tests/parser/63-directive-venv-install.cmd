VENV INSTALL
VENV INSTALL -r requirements.txt
VENV INSTALL . /INSTALLER uv
pip install -r requirements.txt
