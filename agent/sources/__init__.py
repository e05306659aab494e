"""Device sources: each one turns a part of the world into Observations."""
