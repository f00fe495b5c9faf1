"""Writing an accepted upload into its row: the one way a stored file is stored.

Reports, visit photos, problem attachments and the demo all store through `store`: the
content (and a photo's thumbnail) goes to storage under a name the caller chooses, and what
was read of the upload goes into the row's fields. The row itself is saved by the caller's
service, in its transaction, with its audit event.
"""

from typing import Protocol

from django.db.models.fields.files import FieldFile

from tiaodu.core.media.accepted import Accepted
from tiaodu.core.media.documents import Document
from tiaodu.core.media.models import StoredFile


class HoldsAFile(Protocol):
    """A row with a file and the facts every stored file has (a problem comment's
    attachment, as well as every `StoredFile`)."""

    @property
    def file(self) -> FieldFile: ...

    original_name: str
    content_type: str
    size: int


def store(item: HoldsAFile, upload: Accepted | Document, *, stem: str, original_name: str) -> None:
    """Store the upload's content as `<stem>.<extension>` (a thumbnail as `<stem>-thumb.jpg`)
    in `item`'s file fields and copy its facts onto `item`, without saving the row."""
    item.original_name = original_name[:255]
    item.content_type = upload.content_type
    item.size = upload.size
    if isinstance(item, StoredFile) and isinstance(upload, Accepted):
        item.width = upload.width
        item.height = upload.height
        item.sha256 = upload.sha256
        item.taken_at = upload.taken_at
        item.latitude = upload.latitude
        item.longitude = upload.longitude
    item.file.save(f"{stem}.{upload.extension}", upload.content_file(), save=False)
    thumbnail = upload.thumbnail_file()
    if thumbnail is not None and isinstance(item, StoredFile):
        item.thumbnail.save(f"{stem}-thumb.jpg", thumbnail, save=False)
