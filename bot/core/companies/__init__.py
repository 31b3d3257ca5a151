"""The company register: matching names, and its care (rename, merge, remove)."""
