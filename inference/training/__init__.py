"""Reproducible training recipe of the shipped pre-read weights (see ``train.py``)."""
