#!/usr/bin/env python
"""Django's command-line utility for Tiaodu."""

import gc
import os
import sys


def main() -> None:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "tiaodu.settings")
    import django
    from django.core.management import execute_from_command_line

    # Starting the site makes some hundreds of thousands of objects and frees almost none:
    # the cycle collector, which would walk them again and again, waits until it is done
    # (a seventh of a command's start). `execute_from_command_line` finds the site set up.
    gc.disable()
    try:
        django.setup()
    finally:
        gc.enable()
    execute_from_command_line(sys.argv)


if __name__ == "__main__":
    main()
