"""Loaded by pytest (-p) before Django is configured: tests run with a throwaway key."""

import os

os.environ.setdefault("BASTION_INSECURE_DEV", "1")
# Pages render in tests without `collectstatic`: plain static storage, no manifest.
os.environ.setdefault("BASTION_MANIFEST_STATIC", "0")
