"""A Flask app whose packages Poetry locks; serve it with `gunicorn app:app`."""
from flask import Flask

app = Flask(__name__)


@app.route("/")
def index():
    return "poetry sample is up"
