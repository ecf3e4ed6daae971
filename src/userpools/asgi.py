"""The ASGI application as uvicorn imports it in each worker: settings from the environment."""

from userpools.app import create_app
from userpools.settings import Settings

app = create_app(Settings.from_env())
