"""Stored files: what an upload is, whether it is accepted, and how it is kept (docs/uploads.md).

One path for every upload (report photos and videos, visit photos, problem attachments, the
demo's photos):

- `signatures` says what a file is from its first bytes: the one table of types;
- `checks.inspect_upload` accepts a photo or a video (`images`, `videos`) or raises
  `errors.UploadRefused`; `documents.inspect_document` accepts an attached document;
  `limits` holds the size and pixel limits and reads within them;
- `metadata` and `phash` read what a photo says about itself before it is stripped;
- `models.StoredFile` is the abstract model of a stored file, and `store.store` writes an
  accepted upload into one;
- `serving.serve_inline` serves a stored file, with byte ranges.

Nothing here imports another app.
"""
