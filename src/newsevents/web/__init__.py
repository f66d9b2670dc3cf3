"""web stage of newsevents."""
