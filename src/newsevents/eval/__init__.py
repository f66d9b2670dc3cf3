"""eval stage of newsevents."""
