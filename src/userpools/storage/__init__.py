"""Persistence: one SQLAlchemy Core schema, SQLite or PostgreSQL, behind small repositories."""
