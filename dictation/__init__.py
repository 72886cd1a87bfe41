"""Qt-free dictation: speech engines, audio capture, voice commands, text normalisation."""
