"""Tests of service/, one file per module or concern."""
