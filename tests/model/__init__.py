"""Tests of model/, one file per module or concern."""
