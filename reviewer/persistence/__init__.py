"""SQLAlchemy 2 tables, repositories that hand out domain objects, and the migration runner."""
