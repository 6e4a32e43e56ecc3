"""A FastAPI app; serve it with `gunicorn -k uvicorn.workers.UvicornWorker main:app`."""
from fastapi import FastAPI

app = FastAPI(title="FastAPI sample")


@app.get("/")
def read_root():
    return {"status": "up"}
