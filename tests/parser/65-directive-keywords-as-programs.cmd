python manage.py migrate
python -m venv env
pip freeze
venv
django-admin startproject x
python
"python" select
