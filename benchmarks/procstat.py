"""What /proc says of a running process, for the memory benchmarks (Linux; None or [] elsewhere)."""

from __future__ import annotations


def status_kb(pid: int, field: str) -> int | None:
    """A field of /proc/PID/status in KB (VmHWM: peak RSS, VmRSS: RSS now); None when /proc cannot tell."""
    try:
        with open(f"/proc/{pid}/status", encoding="ascii") as fh:
            for line in fh:
                if line.startswith(field + ":"):
                    return int(line.split()[1])
    except (OSError, ValueError):
        return None
    return None


def children(pid: int) -> list[int]:
    """The pids of a process' children."""
    try:
        with open(f"/proc/{pid}/task/{pid}/children", encoding="ascii") as fh:
            return [int(p) for p in fh.read().split()]
    except (OSError, ValueError):
        return []
