"""What queries and mutations do: authorisation, validation, transactions, data loaders."""
