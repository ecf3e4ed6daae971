"""The HTTP endpoints that are not the AWS JSON APIs: one home for each (DESIGN.md, "Shape").

- ``wellknown``: a pool's JWKS and OpenID discovery document.
- ``sts``: STS GetCallerIdentity (AWS query protocol), which infrastructure tools call first.
- ``management``: ``/_userpools/...`` (outbox, reset, clock), for test suites and operators.

The OAuth 2.0 endpoints, the managed login pages and the console each get a module or package here
too; ``app.py`` only mounts their ``routes(context)``.
"""
