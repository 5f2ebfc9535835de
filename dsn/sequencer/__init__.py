"""The sequencer node: public HTTP API for user transactions, DSN submission, and the DA task that
posts committed pre-blocks to the rollup inbox (dsn/sequencer/README.md)."""
