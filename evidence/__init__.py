"""প্রমাণক — evidence files attached to an indicator and quarter (DESIGN.md §5): checked by content
(``validators``), stored under random names outside the web root, written only through ``services``, served
only through the permission-checked download view. Imports ``base`` and ``indicators``."""
