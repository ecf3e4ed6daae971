"""Real loopback servers and helpers shared by the I/O tests."""
