"""Qt-free foundations shared by every layer: the app data dir, logging and settings."""
