"""The fonts and colour of the official documents (GB/T 9704-2012), in one place.

The standard asks for 仿宋_GB2312 (body), 方正小标宋 (title) and 黑体 (headings). The server
has Debian's `fonts-noto-cjk`, so Noto Serif CJK SC stands in for the first two and Noto
Sans CJK SC for 黑体; the PDF embeds them. A site with the official fonts installed changes
these names.
"""

from tiaodu.supervision.notices.documents import RED, SANS, SERIF

BODY = SERIF  # for 仿宋_GB2312
TITLE = SERIF  # for 方正小标宋, set in bold
HEADING = SANS  # for 黑体

__all__ = ["BODY", "HEADING", "RED", "TITLE"]
