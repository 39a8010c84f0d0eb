"""An upload handler that hashes a file while it streams in and keeps none of it.

The public verification page compares a printout's file with the issued document by SHA-256. The
file is someone else's document: it is hashed chunk by chunk as Django reads the request body and
then forgotten — no byte is kept in memory beyond one chunk, nothing is written to disk.
"""

from __future__ import annotations

import hashlib

from django.conf import settings
from django.core.files.uploadedfile import UploadedFile
from django.core.files.uploadhandler import FileUploadHandler, StopUpload


class HashedFile(UploadedFile):
    """What ``request.FILES`` holds instead of the file: its name, size and SHA-256 only."""

    def __init__(self, *, name: str, size: int, sha256: str):
        super().__init__(file=None, name=name, size=size)
        self.sha256 = sha256

    def open(self, mode=None):  # there is nothing to read
        raise ValueError("The file was hashed, not kept.")


class Sha256UploadHandler(FileUploadHandler):
    """Hash every uploaded file; refuse (``too_large``) past ``UPLOAD_MAX_SIZE``."""

    def __init__(self, request=None):
        super().__init__(request)
        self.max_size = settings.UPLOAD_MAX_SIZE
        self.too_large = False
        self._hash = None
        self._size = 0

    def new_file(self, *args, **kwargs):
        super().new_file(*args, **kwargs)
        self._hash = hashlib.sha256()
        self._size = 0

    def receive_data_chunk(self, raw_data, start):
        self._size += len(raw_data)
        if self._size > self.max_size:
            self.too_large = True
            raise StopUpload(connection_reset=False)
        self._hash.update(raw_data)
        return None  # consumed: no other handler sees (or stores) the bytes

    def file_complete(self, file_size):
        return HashedFile(name=self.file_name, size=file_size, sha256=self._hash.hexdigest())
