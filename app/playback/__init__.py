"""Dictated audio played back: the player with its transport, and the links of dictated
words to their time in a recording (click a word, hear it)."""
