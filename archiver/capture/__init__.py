"""Capture (`--fetch`): links and the images pages use, fetched live as honest HTTP exchanges.

Light on import: the modules load when a capture starts."""
