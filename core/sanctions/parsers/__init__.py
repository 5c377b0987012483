"""Pure parsers of sanctions list files into ParsedEntry records (no database)."""
