"""The household inventory: a TOML file a person reads and edits, plus what the agent discovers."""
