"""Company visits: record, read, parse, import, follow up, and what companies said."""
