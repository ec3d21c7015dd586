"""The web benchmark's baseline: a bare FastAPI hello-world (FastAPI's own first example), served by
the same uvicorn settings and loaded by the same client as the app, so the app's throughput can be
reported as a ratio that holds on a noisy shared machine."""

from __future__ import annotations

from fastapi import FastAPI

app = FastAPI()


@app.get("/")
async def hello() -> dict[str, str]:
    return {"hello": "world"}
