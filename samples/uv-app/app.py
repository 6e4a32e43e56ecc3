"""A Flask app packaged with pyproject.toml and locked with uv."""
from flask import Flask

app = Flask(__name__)


@app.route("/")
def index():
    return "uv sample is up"
