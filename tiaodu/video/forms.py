"""The camera form and the roll call's decision form; the services validate again."""

from django import forms
from django.utils.translation import gettext_lazy as _

from tiaodu.video.models import Camera
from tiaodu.video.services import DESCRIPTION_MAX, NAME_MAX, URL_MAX


class CameraForm(forms.Form):
    name = forms.CharField(
        label=_("Camera name"),
        max_length=NAME_MAX,
        help_text=_("Where it looks: 东大门, 塔吊 1 号."),
    )
    stream_url = forms.CharField(
        label=_("Stream address"),
        max_length=URL_MAX,
        help_text=_(
            "An HLS stream (…/live.m3u8) plays on the video wall; any other address, such as "
            "the camera's page on the vendor's platform, opens in a new tab."
        ),
    )
    description = forms.CharField(
        label=_("Position and description"), max_length=DESCRIPTION_MAX, required=False
    )

    @classmethod
    def for_camera(cls, camera: Camera, data: object = None) -> "CameraForm":
        return cls(
            data,  # type: ignore[arg-type]
            initial={
                "name": camera.name,
                "stream_url": camera.stream_url,
                "description": camera.description,
            },
        )


class RollCallForm(forms.Form):
    text = forms.CharField(
        label=_("What the meeting decided"),
        widget=forms.Textarea(attrs={"rows": 3}),
        max_length=1000,
        help_text=_("Written into the meeting's minutes as one line under the project's name."),
    )
