"""Qt-free AI pre-read: lungs, ground-glass opacity, consolidation, involvement and CT grade."""
