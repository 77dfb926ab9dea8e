"""Date and time formats Django's own locale files leave out (FORMAT_MODULE_PATH).

Django looks here first, attribute by attribute, then in its own locale files: only
what is missing there is defined here.
"""
