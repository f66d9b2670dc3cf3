"""kb stage of newsevents."""
