"""The portal's settings, with benchmarks/ceiling_urls.py as the URLconf (one extra view)."""

from inpud_portal.settings import *  # noqa: F403

ROOT_URLCONF = "benchmarks.ceiling_urls"
