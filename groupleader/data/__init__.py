"""The data layer: the encrypted vault, the clinical record and its services (no Qt)."""
