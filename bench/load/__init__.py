"""The scale-out load test: two web servers and two task workers on one PostgreSQL (run.py)."""
