"""Chronology: domestic-abuse risk chronologies for children's social work."""

__version__ = "0.1.0"
