"""Briefs: "brief me on X since D" — the on-topic sentences of the indexed articles arranged
into a bottom line, a timeline, positions, disagreements, gaps and sources, every line cited."""
