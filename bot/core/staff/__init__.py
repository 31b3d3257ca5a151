"""The staff directory and who someone is."""
