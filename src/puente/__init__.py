"""Puente: cross-border illicit-finance intelligence."""

__version__ = "0.1.0"
