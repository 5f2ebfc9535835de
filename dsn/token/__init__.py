"""``dsn token``: token-cli parity (keys, asset actions, transfers, sequencer messages, watch, spam)."""
