"""Loaded by pytest (-p) before Django is configured: tests run with a throwaway key."""

import os

os.environ.setdefault("BASTION_INSECURE_DEV", "1")
