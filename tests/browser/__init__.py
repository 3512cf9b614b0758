"""Browser tests: the real pages, driven in headless Chromium with Playwright.

A package, so that this folder's ``conftest`` does not take the place of the root
``conftest`` module that app tests import their area codes from.
"""
