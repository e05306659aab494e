"""Devices on the local network that announce themselves over mDNS/DNS-SD.

``source`` browses for a bounded window, ``convert`` turns one resolved service into MdnsFacts,
``merge`` joins the services of one device into one Observation, ``text`` bounds what the network
sends, ``net`` picks the interfaces, and ``watch`` keeps browsing between the daemon's scans.
"""
