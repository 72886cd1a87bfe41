"""Qt-free dictation: speech engines, audio capture, voice commands, text normalisation.

- ``engines``: PocketSphinx (built-in US English) and Vosk behind one streaming
  ``Recognizer`` interface, in a registry; ``models``: the Vosk model manager;
  ``lm``: the radiology language model for PocketSphinx; ``endpoint``: shared VAD.
- ``commands``: RU/EN voice commands told apart from dictated text; ``numbers`` and
  ``normalize``: spoken numbers, percentages, CT grades, the user dictionary;
  ``transcript``: the edited text of a field, with word times.
- ``audio``: sounddevice capture into a spill-to-disk queue; ``session``: the recogniser
  thread (hands-free or push-to-talk); ``controller``: dictation microphones, pedals, keys.
- ``recording``: FLAC + word times kept with the report; ``transcribe``: files, as live.
"""
