"""Test support: live servers (servers.py) and real loopback peers (SMTP, HTTP, SigV4, TLS helpers)."""

from tests.support.servers import Postgres, Server, free_port, wait_for

__all__ = ["Postgres", "Server", "free_port", "wait_for"]
