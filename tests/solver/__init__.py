"""Tests of solver/, one file per module or concern."""
