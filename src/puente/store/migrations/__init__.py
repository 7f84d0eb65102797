"""Numbered SQL migrations of the workspace schema (``NNNN_description.sql``), applied in order."""
