"""A Flask app that shows which commit is deployed (written by its customised deploy.cmd)."""
from pathlib import Path

from flask import Flask

app = Flask(__name__)


@app.route("/")
def index():
    version = Path(__file__).with_name("version.txt")
    commit = version.read_text().strip() if version.exists() else "unknown"
    return f"custom sample is up, commit {commit}"
