"""A Flask app whose requirements are pinned with hashes; serve it with `gunicorn app:app`."""
from flask import Flask

app = Flask(__name__)


@app.route("/")
def index():
    return "hashed sample is up"
