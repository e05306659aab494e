"""recall-agent: a household device inventory checked against product recall notices."""

__version__ = "0.1.0"
