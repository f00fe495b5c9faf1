"""The 我的视图 control of a list page's filter bar and the chip naming the view shown."""

from typing import Any

from django import template

from tiaodu.core import saved_filters

register = template.Library()


@register.inclusion_tag("includes/saved_filters.html", takes_context=True)
def saved_filters_menu(context: dict[str, Any], page: str) -> dict[str, Any]:
    """The user's saved views of `page` as a menu, with a form to save the current filters."""
    request = context["request"]
    views = list(saved_filters.saved_filters_of(request.user, page))
    return {
        "page_key": page,
        "views": views,
        "query": saved_filters.clean_query(request.GET.urlencode()),
        "next": request.get_full_path(),
        "csrf_token": context.get("csrf_token"),
    }


@register.inclusion_tag("includes/saved_filter_chip.html", takes_context=True)
def saved_filter_chip(context: dict[str, Any], page: str) -> dict[str, Any]:
    """视图：… · 清除 when the page shows one of the user's saved views (`view=<id>`)."""
    request = context["request"]
    shown = saved_filters.shown_filter(request.user, page, request.GET)
    return {"shown": shown, "clear": f"?{saved_filters.VIEW}={saved_filters.NONE}"}
