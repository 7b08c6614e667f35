"""Matching engine: arrays in, optimal assignment and explanations out (no Django)."""
