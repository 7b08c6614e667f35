"""Models of the consents app."""
