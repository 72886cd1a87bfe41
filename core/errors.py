"""The base of every error that carries a message meant for the user."""


class LuchError(Exception):
    """An expected failure; ``str(err)`` says what happened and what to do, without PHI."""
