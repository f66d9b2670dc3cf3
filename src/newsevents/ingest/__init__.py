"""ingest stage of newsevents."""
