"""Model-written brief sections (stub replaced below)."""
