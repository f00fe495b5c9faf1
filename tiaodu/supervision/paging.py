"""What the notice list and the meeting list share: the rows a page of either shows."""

PAGE_SIZE = 25
