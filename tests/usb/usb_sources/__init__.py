"""Tests of the USB sources. A package so that its helpers import relatively and its conftest has a name of its own."""
