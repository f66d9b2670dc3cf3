"""store stage of newsevents."""
