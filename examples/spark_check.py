"""Check reports with PySpark (RDD): the findings of `gikcheck -j N --format json`, cross-document included.

    pip install gikcheck pyspark        # and a Java runtime for Spark

    # local Spark, 4 cores; findings as JSON on standard output
    python examples/spark_check.py reports/ --master "local[4]" > findings.json

    # on a cluster (spark-submit sets the master); files the executors can open
    # on a shared file system, findings also as Parquet
    spark-submit examples/spark_check.py /shared/reports/ --output findings.json --parquet findings/

    # files on HDFS or S3, read by Spark as (name, bytes) pairs
    spark-submit examples/spark_check.py "hdfs:///reports/2023/*" --binary --parquet findings/

The same three steps as on Dask (see gikcheck/cluster.py): check each report
on the executors, reduce the reports' summaries to the cross-document
findings, merge them into each report's findings.
"""

from __future__ import annotations

import argparse
import json
import os
import sys
from collections.abc import Sequence


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("reports", nargs="+", help="report files or directories; with --binary, Hadoop paths or globs")
    parser.add_argument("--master", help='Spark master, e.g. "local[4]" (default: from spark-submit, else local[*])')
    parser.add_argument("--binary", action="store_true", help="let Spark read the files (SparkContext.binaryFiles)")
    parser.add_argument("--partitions", type=int, default=0, help="RDD partitions (default: Spark's parallelism)")
    parser.add_argument("--output", default="-", help="JSON array of findings (default: standard output)")
    parser.add_argument("--parquet", help="also write the findings as Parquet to this directory")
    args = parser.parse_args(argv)

    # Local Spark runs its Python workers with this interpreter, where gikcheck is installed.
    os.environ.setdefault("PYSPARK_PYTHON", sys.executable)
    from pyspark.sql import SparkSession

    from gikcheck.cluster import (
        FINDING_COLUMNS,
        cross_findings,
        dicts_of,
        lint_item,
        merge,
        report_paths,
        rows_of,
        summary_of,
    )

    builder = SparkSession.builder.appName("gikcheck")
    if args.master:
        builder = builder.master(args.master)
    spark = builder.getOrCreate()
    try:
        sc = spark.sparkContext
        parts = args.partitions or sc.defaultParallelism
        if args.binary:
            # (name, bytes); a local file's name as a path, so that its gikcheck-agencies.toml is found
            items = sc.binaryFiles(",".join(args.reports), minPartitions=parts).map(_local_name)
        else:
            paths = report_paths(args.reports)
            if not paths:
                print("没有可检查的报告文件", file=sys.stderr)
                return 2
            items = sc.parallelize(paths, max(1, min(len(paths), parts)))
        results = items.map(lint_item).cache()
        # The reduce: the reports' summaries, in input order, through the engine's finish_run.
        cross = sc.broadcast(cross_findings(results.map(summary_of).collect()))
        checked = results.map(lambda r: merge(r, cross.value)).cache()
        if args.parquet:
            # A fixed schema: every column present, whatever the first findings hold.
            schema = ", ".join(f"`{n}` {'bigint' if kind == 'int64' else 'string'}" for n, kind in FINDING_COLUMNS)
            rows = checked.flatMap(rows_of).map(lambda row: tuple(row[n] for n, _ in FINDING_COLUMNS))
            spark.createDataFrame(rows, schema).write.mode("overwrite").parquet(args.parquet)
        found = checked.flatMap(dicts_of).collect()
    finally:
        spark.stop()
    text = json.dumps(found, ensure_ascii=False, indent=2) + "\n"
    if args.output == "-":
        sys.stdout.write(text)
    else:
        with open(args.output, "w", encoding="utf-8") as f:
            f.write(text)
    print(f"{len(found)} 个问题", file=sys.stderr)
    return 0


def _local_name(item: tuple[str, bytes]) -> tuple[str, bytes]:
    name, data = item
    return (name[len("file:") :] if name.startswith("file:/") and not name.startswith("file://") else name), data


if __name__ == "__main__":
    sys.exit(main())
