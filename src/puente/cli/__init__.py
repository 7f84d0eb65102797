"""Thin command-line shells over the domain packages; no domain logic lives here."""
