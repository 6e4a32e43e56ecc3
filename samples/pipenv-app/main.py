"""A FastAPI app whose packages Pipenv locks; serve it with `uvicorn main:app`."""
from fastapi import FastAPI

app = FastAPI(title="Pipenv sample")


@app.get("/")
def read_root():
    return {"status": "up"}
