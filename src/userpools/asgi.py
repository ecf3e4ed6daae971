"""The ASGI application as uvicorn imports it in each worker: settings (and logging) from the environment.

The process is the server's alone, so its garbage collector is tuned for it: the youngest generation is
collected every 10,000 new container objects rather than CPython's 700, which cost a create ~4% of its
instructions under load (bench/README, "The collector's threshold"). A request leaves few such objects
behind, so one still comes every thousand requests or so.
"""

import gc

from userpools import logs
from userpools.app import create_app
from userpools.settings import Settings

gc.set_threshold(10_000, 10, 10)
settings = Settings.from_env()
if not logs.configured():  # a worker process of `serve --workers N`, or uvicorn run by hand
    logs.configure(settings.log_level, settings.log_format)
app = create_app(settings)
