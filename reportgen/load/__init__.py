"""Readers: data files on disk → validated model objects (YAML now, Excel later)."""
