"""The functional core: pure training logic over plain typed data (standard library only)."""
