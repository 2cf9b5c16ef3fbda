"""Infrastructure every layer may lean on: settings, database configuration and the SQLite
engine, HTTP middleware. Imports nothing of the layers above it."""
