"""The SQLite workspace: schema, migrations and queries (Qt-free)."""
