"""The background build of a bulletin's files; the bulletin page polls its progress."""

from django.tasks import task

from tiaodu.core import context
from tiaodu.documents import services
from tiaodu.documents.models import Bulletin


@task
def build_bulletin(bulletin_id: int) -> None:
    bulletin = Bulletin.objects.get(pk=bulletin_id)
    with context.bound(context.RequestContext(channel="system")):
        services.build_files(bulletin=bulletin)
