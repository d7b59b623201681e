"""The catalogue database: SQLAlchemy 2.0 tables, engine and session, queries returning domain objects."""
