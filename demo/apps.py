from django.apps import AppConfig


class DemoConfig(AppConfig):
    """The demo and benchmark data (`seed_demo`): on top of every app, written through their services."""

    name = "demo"
    verbose_name = "Demo data"
