"""The ninja API: each app mounts its router here. OpenAPI at /api/v1/docs."""

from ninja import NinjaAPI
from ninja.security import SessionAuth

from tiaodu.analytics.api import router as analytics_router
from tiaodu.projects.api import router as projects_router

api = NinjaAPI(
    title="Tiaodu API",
    version="1",
    description="调度 · the major-project dispatch platform. Every read is scoped to the caller.",
    auth=SessionAuth(),
    urls_namespace="api",
)
api.add_router("/projects", projects_router)
api.add_router("/stats", analytics_router)
