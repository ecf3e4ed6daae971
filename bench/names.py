"""The loaded users' usernames and emails, shared by bulkload.py (userpools) and moto_preloaded.py (moto).

No imports: moto_preloaded.py runs in moto's own virtualenv, which has neither userpools nor SQLAlchemy.
"""


def username(i: int) -> str:
    return f"user{i:07d}"


def email(i: int) -> str:
    return f"user{i:07d}@example.com"
