"""The imperative shell's edges: files, formats and (later) databases, translated to domain types."""
