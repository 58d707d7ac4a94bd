"""Home panels (filled in below)."""


def register():
    pass
