"""Key-project lists in the management area (/manage/); writes go through the services.

Projects and annual plans are not here: the three administrators read no business data.
"""

from typing import Any

from django.contrib import admin
from django.http import HttpRequest

from tiaodu.accounts.signed_in import user_of
from tiaodu.core.admin_site import ManagementModelAdmin, adopt, changed_fields, management_site
from tiaodu.projects import services
from tiaodu.projects.models import KeyProjectList


@admin.register(KeyProjectList, site=management_site)
class KeyProjectListAdmin(ManagementModelAdmin):
    list_display = ["name", "year", "description"]
    list_filter = ["year"]
    search_fields = ["name"]
    fields = ["name", "year", "description"]
    ordering = ["-year", "name"]

    def save_model(
        self, request: HttpRequest, obj: KeyProjectList, form: Any, change: bool
    ) -> None:
        if change:
            current = KeyProjectList.objects.get(pk=obj.pk)
            services.update_key_project_list(
                actor=user_of(request), key_project_list=current, **changed_fields(form)
            )
            adopt(obj, current)
            return
        data = form.cleaned_data
        created = services.create_key_project_list(
            actor=user_of(request),
            name=data["name"],
            year=data["year"],
            description=data.get("description", ""),
        )
        adopt(obj, created)
