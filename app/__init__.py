"""The app shell: wires studies, viewer, AI, dictation and records into the reading workstation."""
