"""The reports (DESIGN.md §6): what they say and how they are made. Imports ``base``, ``indicators`` and
``evidence``.

- what a report prints: ``letter`` (kinds, titles, the cover letter and its memo number), ``table`` (the
  self-assessment table and the evidence index), ``document`` (the whole HTML), ``editing`` (the texts the
  team writes: letter, introduction, initiatives);
- how a PDF is made: ``rendering`` (numbered until its page numbers settle), ``pdf`` and ``textlayer``
  (WeasyPrint with the shipped fonts and a text layer that gives back the Bangla words), ``annex`` and
  ``evidence_pdf`` (the evidence merged and stamped);
- the approved record: ``approvals`` (each approval a version with its marks), ``approval_source`` (the digest
  of what an approval stands on), ``integrity`` (``verify_reports``);
- jobs: ``jobs`` (started), ``job_run`` (rendered), ``tasks`` (the worker's queue), ``naming``.
"""
