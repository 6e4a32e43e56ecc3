VENV ENSURE
venv ensure env /PYTHON 3.11
VENV REMOVE env /ONCE v2
venv remove /IFCHANGED requirements.txt
