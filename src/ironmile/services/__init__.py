"""Use cases: one function per verb, calling the domain and the adapters."""
