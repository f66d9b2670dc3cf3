"""coding stage of newsevents."""
