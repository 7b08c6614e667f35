"""Matching of mentors and mentees."""
