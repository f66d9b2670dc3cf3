"""nlp stage of newsevents."""
