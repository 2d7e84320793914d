"""The year's work as people do it, on top of every other app: period transitions and the approved record
(``transitions``)."""
