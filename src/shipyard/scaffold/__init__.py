"""Project scaffolding: `shipyard new`, `shipyard init`, and the files they write."""
