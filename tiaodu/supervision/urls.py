from django.urls import path

from tiaodu.supervision import views
from tiaodu.supervision.rounds import urls as round_urls

app_name = "supervision"

urlpatterns = [
    path("notices/<int:pk>.docx", views.notice_docx, name="notice_docx"),
    path("notices/<int:pk>.pdf", views.notice_pdf, name="notice_pdf"),
    *round_urls.urlpatterns,
]
