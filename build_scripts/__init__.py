"""Build steps for the site: plain Python, called from the thin MkDocs hook in hooks.py."""
