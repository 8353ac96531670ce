"""Articles from the web: pages by URL and RSS/Atom feeds, fetched with care and kept current.

fetch.py (one careful GET) → page.py (a response to a document) and feeds.py (a feed to its
items) → service.py (into the index through the ingest step, feed state in store.py);
schedule.py runs updates beside a long-running surface; command.py is `briefing feeds`.
"""
