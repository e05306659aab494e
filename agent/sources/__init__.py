"""Device sources: each one turns a part of the world into Observations."""

DISCOVERY = ("usb", "mdns", "homeassistant")  # the sources a scan can run; agent.sources.registry builds them
ALL = ("inventory", *DISCOVERY)
