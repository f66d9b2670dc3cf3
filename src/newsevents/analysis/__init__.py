"""analysis stage of newsevents."""
