"""Check reports on a Dask cluster: the findings of `gikcheck -j N --format json`, cross-document included.

    pip install "gikcheck[dask]"        # dask[distributed], dask[dataframe], pyarrow

    # a local cluster of 4 worker processes, findings as JSON on standard output
    python examples/dask_check.py reports/ --workers 4 > findings.json

    # an existing cluster; findings also as Parquet (one file per partition)
    python examples/dask_check.py reports/ --scheduler tcp://scheduler:8786 \
        --output findings.json --parquet findings/

The workers open the paths themselves: on a real cluster they must see the
same files (a shared file system). Each report's gikcheck.toml and
gikcheck-agencies.toml are found from its path, as the command line does.
"""

from __future__ import annotations

import argparse
import contextlib
import json
import sys
from collections.abc import Sequence


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("reports", nargs="+", help="report files or directories (walked as gikcheck walks them)")
    where = parser.add_mutually_exclusive_group()
    where.add_argument("--scheduler", help="address of a running Dask scheduler")
    where.add_argument("--workers", type=int, default=2, help="worker processes of a local cluster (default 2)")
    parser.add_argument("--partitions", type=int, default=0, help="bag partitions (default: 4 per worker)")
    parser.add_argument("--output", default="-", help="JSON array of findings (default: standard output)")
    parser.add_argument("--parquet", help="also write the findings as Parquet to this directory")
    args = parser.parse_args(argv)

    import dask.bag as db
    from dask.distributed import Client, LocalCluster

    from gikcheck.cluster import check_bag, dicts_of, finding_meta, report_paths, rows_of

    paths = report_paths(args.reports)
    if not paths:
        print("没有可检查的报告文件", file=sys.stderr)
        return 2
    with contextlib.ExitStack() as stack:
        if args.scheduler:
            client = stack.enter_context(Client(args.scheduler))
        else:
            # Processes, one thread each: the checks are CPU-bound Python.
            cluster = stack.enter_context(
                LocalCluster(n_workers=args.workers, threads_per_worker=1, processes=True, dashboard_address=None)
            )
            client = stack.enter_context(Client(cluster))
        workers = len(client.nthreads()) or 1
        parts = max(1, min(len(paths), args.partitions or 4 * workers))
        results = check_bag(db.from_sequence(paths, npartitions=parts))
        if args.parquet:
            # Two outputs of one run: the results stay on the workers, each report is checked once.
            results = results.persist()
            # Explicit meta: inferred from the first finding, it would lack the columns that
            # finding has not (fix, origin, ...) and drop them from every partition.
            frame = results.map(rows_of).flatten().to_dataframe(meta=finding_meta())
            frame.to_parquet(args.parquet)
        found = results.map(dicts_of).flatten().compute()
    text = json.dumps(found, ensure_ascii=False, indent=2) + "\n"
    if args.output == "-":
        sys.stdout.write(text)
    else:
        with open(args.output, "w", encoding="utf-8") as f:
            f.write(text)
    print(f"{len(paths)} 个文件,{len(found)} 个问题", file=sys.stderr)
    return 0


if __name__ == "__main__":  # workers start by importing this file: the cluster must not start again
    sys.exit(main())
