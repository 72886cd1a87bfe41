"""Qt-free access to the central archive over DICOMweb, and the local image cache."""
