"""The ASGI application as uvicorn imports it in each worker: settings (and logging) from the environment."""

from userpools import logs
from userpools.app import create_app
from userpools.settings import Settings

settings = Settings.from_env()
if not logs.configured():  # a worker process of `serve --workers N`, or uvicorn run by hand
    logs.configure(settings.log_level, settings.log_format)
app = create_app(settings)
