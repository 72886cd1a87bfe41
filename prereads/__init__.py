"""Pre-reads in the archive: the central pre-read service (``luch preread-service``) that
pre-reads every new CT study once and stores its SEG, TID 1500 SR and flat AI SR with
STOW-RS, and the stations' import of those results into their store. Qt-free; it composes
``inference`` (the pre-read), ``records`` (the flat AI SR, the store) and ``archive``."""
