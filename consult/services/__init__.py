"""Services: the writes and the rules; views and commands call these."""
