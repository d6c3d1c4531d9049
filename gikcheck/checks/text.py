"""Rules of this family are being written (see issue 3)."""
from ..plugins import hookimpl


@hookimpl
def gikcheck_rules():
    return []
