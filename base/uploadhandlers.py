"""A size limit that holds while an upload is received, not after it was kept.

Django keeps every uploaded file, whatever its size, in memory or in a temporary file before a view sees it
(``DATA_UPLOAD_MAX_MEMORY_SIZE`` covers the other form fields, not files). ``UploadLimit`` goes first in
``request.upload_handlers`` and stops keeping a file as soon as it passes the limit, and keeps no more than
one file per request; the view then refuses the upload and says why (``UploadLimit.refusal``). A view
installs it before anything reads ``request.POST``, which is why such views are ``csrf_exempt`` and check
the token themselves afterwards with ``csrf_protect`` (the pattern of Django's "Modifying upload handlers
on the fly").

``declared_too_large`` refuses even earlier, from the request's Content-Length, without reading the body.
"""

from __future__ import annotations

from django.core.files.uploadhandler import FileUploadHandler, SkipFile
from django.http import HttpRequest
from django.utils.translation import gettext as _

# What a multipart body may carry besides the file: boundaries, part headers and the form's other fields
# (a title of 500 characters is 2 KB in UTF-8). A body larger than the limit plus this holds a file that
# is too large, or something that is not our form.
MULTIPART_ALLOWANCE = 64 * 1024


def declared_too_large(request: HttpRequest, max_bytes: int) -> bool:
    """Whether the request says (in Content-Length) that its body is larger than any acceptable upload."""
    try:
        length = int(request.META.get("CONTENT_LENGTH") or 0)
    except ValueError:
        return False  # Django treats an unreadable length as an empty body
    return length > max_bytes + MULTIPART_ALLOWANCE


class UploadLimit(FileUploadHandler):
    """Keeps at most ``max_files`` files of at most ``max_bytes`` each; says afterwards what it refused.

    A file over the limit is dropped with ``SkipFile`` at the chunk that passes the limit: the chunk never
    reaches the handlers after this one, and Django closes (and so deletes) what they kept of it. The rest
    of the body is read and thrown away, so that the form's later fields still arrive. Files beyond
    ``max_files`` are dropped the same way, together with the files before them (Django closes every
    handler's file on a skip), and the whole upload is refused.
    """

    def __init__(self, request: HttpRequest, *, max_bytes: int, max_files: int = 1):
        super().__init__(request)
        self.max_bytes = max_bytes
        self.max_files = max_files
        self.files_seen = 0
        self.too_large = False
        self.too_many_files = False
        self.too_large_names: list[str] = []  # the files dropped for their size, in the order they came
        self._declared_too_large = False

    def refusal(self, *, too_large: str) -> str:
        """Why the upload was refused while it arrived, for the form to show; "" when it was not.
        ``too_large`` is the caller's wording of its own limit (evidence and sheets say it differently)."""
        if self.too_many_files:
            return _("একবারে একটি ফাইল দিন।")
        if self.too_large:
            return too_large
        return ""

    def new_file(self, field_name: str, file_name: str, *args, **kwargs) -> None:
        super().new_file(field_name, file_name, *args, **kwargs)
        self.files_seen += 1
        if self.files_seen > self.max_files:
            self.too_many_files = True
            raise SkipFile
        # A part header may declare its own length: no need to keep a file that says it is too large. It
        # is dropped at its first chunk, not here: a skip before the next handlers opened their file would
        # close the previous file, which another file of the same upload may still need.
        self._declared_too_large = self.content_length is not None and self.content_length > self.max_bytes

    def receive_data_chunk(self, raw_data: bytes, start: int) -> bytes:
        if self._declared_too_large or start + len(raw_data) > self.max_bytes:
            self.too_large = True
            self.too_large_names.append(self.file_name or "")
            raise SkipFile
        return raw_data

    def file_complete(self, file_size: int) -> None:
        return None  # the next handler (memory or temporary file) returns the file


class SiteUploadLimit(UploadLimit):
    """The ceiling for every form of the site that receives files (``FILE_UPLOAD_HANDLERS`` in settings).

    The evidence and sheet-import views install their own, exact limits; this one covers every other
    address, so that no POST to any URL makes the server keep a file larger than the largest upload the site
    accepts, before the view (or the CSRF check) has even run.
    """

    def __init__(self, request: HttpRequest | None = None):
        from django.conf import settings

        super().__init__(
            request, max_bytes=max(settings.EVIDENCE_MAX_BYTES, settings.SHEET_MAX_BYTES), max_files=10
        )


class AbandonedUploadsMiddleware:
    """Deletes, when its request ends, every temporary upload file that a failed request left behind.

    Django deletes a temporary upload file when a handler skips it (``SkipFile``, our limits), when the body
    ends early (``upload_interrupted``), and when the answer is closed (``request.close()``, for the files
    that reached ``request.FILES``). A file still arriving when reading the body raises is in none of these:
    the client reset the connection (UnreadablePostError), a part could not be decoded (MultiPartParserError),
    or gunicorn aborted the worker at its timeout (SystemExit in the request). It would stay in the temporary
    folder, up to the 20 MB limit, until the garbage collector ran — or for good once the worker died (issue
    11: "temporary upload files are removed when a request fails"). First in MIDDLEWARE, so that it sees
    every request end, however it ends.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request: HttpRequest):
        try:
            response = self.get_response(request)
        except BaseException:
            # No answer will be closed, so request.close() will not run either: every file goes now.
            upload_files_close(request, keep_received=False)
            raise
        upload_files_close(request, keep_received=True)
        return response


def upload_files_close(request: HttpRequest, *, keep_received: bool) -> None:
    """Close (and so delete) the files the request's upload handlers still hold. With ``keep_received`` the
    files that reached ``request.FILES`` are left to ``request.close()``, which runs once the answer is sent."""
    # Django's own convention: a handler keeps the file it is writing as ``file`` (MultiPartParser's
    # _close_files relies on it too). Handlers exist only once something asked for them.
    handlers = request.__dict__.get("_upload_handlers") or ()
    held = [handler.file for handler in handlers if getattr(handler, "file", None) is not None]
    # ``_files`` is what request.close() itself looks at: reading request.FILES instead could start parsing
    # a body that nothing has read.
    parsed = getattr(request, "_files", None)
    received = [file for _name, files in parsed.lists() for file in files] if parsed is not None else []
    kept = {id(file) for file in received} if keep_received else set()
    for file in held if keep_received else [*held, *received]:
        if id(file) not in kept:
            file.close()  # a second close (Django's, later) does nothing
