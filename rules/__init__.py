"""The rule packs shipped with cleaner (YAML files; this file only makes them package data)."""
