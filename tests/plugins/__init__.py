"""Pytest plugins (fixtures shared across test packages), one module per service."""
