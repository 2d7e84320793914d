"""The year's work as people do it, on top of the plan, the evidence and the reports: period transitions and
the approved record they make (``transitions``), the pages — home, the plan with in-place progress entry,
the indicator page (``pages``, ``views``) — and the higher office's review: the inbox and the national
summary (``inbox``, ``summary``, ``review_views``). Imports every product app below it; only
``apa_tracker`` sits above.
"""
