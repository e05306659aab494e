"""Home Assistant as a device source: its device registry over the WebSocket API."""
