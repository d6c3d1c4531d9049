"""Cross-document rules: reports of one run compared with each other.

GK308 and GK309 compare a report with last year's report of the same
agency; GK510 looks for near-duplicate reports (last year's of the same
agency, or a sibling agency's of the same year). They are run-scope rules:
``summarize()`` runs once per report (possibly in a worker process) and
returns small picklable data; ``check_run()`` sees all the summaries.

The package: ``keys`` groups reports by agency and year (and holds the compact
positions the summaries carry), ``fingerprint`` makes the similarity sketches,
``years`` holds the rules across years (GK308 carry-over, GK309 stock) and
``copied`` the copied-report rule (GK510). Rule modules import only the
first two, never each other; this module registers the rules.
"""

from __future__ import annotations

from ...plugins import hookimpl
from ...rule import Rule
from .copied import CopiedReport
from .years import CarryoverAcrossYears, StockAcrossYears


@hookimpl
def gikcheck_rules() -> list[type[Rule]]:
    return [CarryoverAcrossYears, StockAcrossYears, CopiedReport]
