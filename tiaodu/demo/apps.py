from django.apps import AppConfig


class DemoConfig(AppConfig):
    """The demo city: above every other app, it writes through their services and no
    product app knows it. It has no models."""

    name = "tiaodu.demo"
