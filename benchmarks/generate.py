"""Generate a corpus of synthetic reports for the benchmarks.

The reports are built from ``examples/clean-*.txt`` (all three formats): the
agency, region and year are varied, the tables get fresh numbers that keep
the format's identities (勾稽关系) and carry over from one year to the next
(so that GK308/GK309 hold for clean series), and the prose is padded with
generated paragraphs to a typical 10–30 KB. A share of the reports get one
injected defect each; ``manifest.csv`` lists every report with its agency,
year, format, size and the defects injected into it.

Each agency writes a series of consecutive years (2016–2018 in the 2008-era
format, 2019–2020 in the 2019 format, 2021 onwards in the 2021 format).

    python benchmarks/generate.py OUT_DIR [--count 10000] [--seed 1] [--defect-rate 0.25]
    python benchmarks/generate.py OUT_DIR --small        # 60 reports
"""

from __future__ import annotations

import argparse
import csv
import random
import re
import sys
from dataclasses import dataclass, field
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
EXAMPLES = ROOT / "examples"
FIRST_YEAR, LAST_YEAR = 2016, 2024

# The agency and region names in each example, replaced by generated ones.
BASES = {
    "2008": ("clean-2008.txt", "青山县民政局", 2015),
    "2019": ("clean-2019.txt", "青山县交通运输局", 2020),
    "2021": ("clean-2021.txt", "青山镇人民政府", 2022),
}
SYLLABLES = "东西南北安平长永兴宁和清河山阳城江湖林泉石桥新华丰泰明远福康宝云龙凤桂兰松柏"
DEPARTMENTS = (
    "交通运输局",
    "民政局",
    "教育局",
    "卫生健康委员会",
    "自然资源局",
    "市场监督管理局",
    "财政局",
    "农业农村局",
)
APPLICANT_COLUMNS = 6

# Generated paragraphs: fragments combined at random, with random figures.
TOPICS = (
    "重大建设项目",
    "公共资源配置",
    "社会公益事业建设",
    "财政预决算",
    "行政执法公示",
    "惠民惠农政策",
    "教育领域",
    "医疗卫生领域",
    "生态环境保护",
    "安全生产",
    "食品药品监管",
    "乡村振兴",
    "营商环境优化",
    "就业创业服务",
    "养老服务",
    "住房保障",
    "政策解读",
    "政务新媒体",
    "政府开放日",
    "12345热线",
)
ACTIONS = (
    "梳理编制了公开事项清单",
    "建立了专人负责的信息更新机制",
    "开展了专项检查",
    "组织了业务培训",
    "完善了保密审查流程",
    "开设了专题栏目",
    "制作了图解和视频解读",
    "开展了第三方评估",
    "召开了新闻发布会",
    "编印了办事指南",
    "推行了公开承诺制度",
    "落实了回应关切机制",
)
RESULTS = (
    "全年发布相关信息{n}条",
    "累计受理群众咨询{n}人次",
    "整改问题{n}个",
    "培训工作人员{n}人次",
    "更新栏目{n}个",
    "回应社会关切{n}次",
    "网站访问量达到{n}万人次",
    "收集意见建议{n}条",
)
MONTHS = ("年初", "一季度", "上半年", "年中", "三季度", "下半年", "年末")


@dataclass
class Series:
    """Figures an agency carries from one year to the next."""

    carried: list[int] = field(default_factory=lambda: [0] * APPLICANT_COLUMNS)
    normative_in_force: int = 0
    prose_seed: int = 0


def _region(rng: random.Random) -> str:
    return "".join(rng.sample(SYLLABLES, rng.choice((2, 2, 3))))


def agency_names(rng: random.Random, index: int) -> tuple[str, str, str]:
    """(agency, county, town) for agency number ``index``."""
    county, town = _region(rng) + "县", _region(rng) + "镇"
    if index % 3 == 0:
        return town + "人民政府", county, town
    return county + rng.choice(DEPARTMENTS), county, town


def template_for(year: int) -> str:
    return "2008" if year <= 2018 else "2019" if year <= 2020 else "2021"


def _han_pool() -> str:
    text = "".join((EXAMPLES / name).read_text(encoding="utf-8") for name, _, _ in BASES.values())
    # No negations or words the prose rules read (无复议, 未收到…) inside made-up names.
    banned = set("无未不没非零否缺复诉议请申件年月日范")
    return "".join(sorted({ch for ch in text if "\u4e00" <= ch <= "\u9fff" and ch not in banned}))


def _name(rng: random.Random, pool: str, lo: int, hi: int) -> str:
    return "".join(rng.choice(pool) for _ in range(rng.randint(lo, hi)))


def _paragraphs(rng: random.Random, target_bytes: int, pool: str) -> list[str]:
    """Paragraphs from shared fragments plus names of their own (documents, places, projects),
    so that two generated reports share phrases as real ones do, without being copies."""
    out, size, used = [], 0, set()
    while size < target_bytes:
        topic, action = rng.choice(TOPICS), rng.choice(ACTIONS)
        key = (topic, action)
        if key in used and len(used) < len(TOPICS) * len(ACTIONS):
            continue
        used.add(key)
        sentences = [
            f"{rng.choice(MONTHS)}，围绕{topic}信息公开，{action}",
            f"印发《{_name(rng, pool, 4, 8)}工作方案》",
            f"在{_name(rng, pool, 2, 3)}村开展{_name(rng, pool, 3, 6)}试点",
        ]
        for _ in range(rng.randint(2, 4)):
            sentences.append(rng.choice(RESULTS).format(n=rng.randint(2, 900)))
        sentences.append(f"{rng.choice(TOPICS)}相关信息均在规定时限内公开")
        text = "，".join(sentences) + "。"
        out.append(text)
        size += len(text.encode("utf-8")) + 2
    return out


def _split(total: int, parts: int, rng: random.Random) -> list[int]:
    cuts = sorted(rng.randint(0, total) for _ in range(parts - 1))
    return [b - a for a, b in zip([0, *cuts], [*cuts, total])]


def _replace_numbers(line: str, values: list[int]) -> str:
    cells = line.split(" | ")
    n = len(values)
    return " | ".join(cells[:-n] + [str(v) for v in values])


def fill_applications(lines: list[str], template: str, series: Series, rng: random.Random) -> dict[str, int]:
    """New figures for 表三 that keep its identities; the carry-over comes from last year."""
    start = next(i for i, ln in enumerate(lines) if ln.startswith("一、本年新收政府信息公开申请数量"))
    end = next(i for i, ln in enumerate(lines) if ln.startswith("四、结转下年度继续办理"))
    rows = list(range(start, end + 1))
    result_rows = rows[2:-2]  # between 二、上年结转 and （七）总计
    new = [
        rng.choice((0, 0, 1, 2, 3, 5, 8, 12, 20)) if c == 0 else rng.choice((0, 0, 0, 1, 2))
        for c in range(APPLICANT_COLUMNS)
    ]
    carried_in = list(series.carried)
    carried_out = [rng.randint(0, (n + ci) // 4) for n, ci in zip(new, carried_in)]
    handled = [n + ci - co for n, ci, co in zip(new, carried_in, carried_out)]
    by_row = [[0] * APPLICANT_COLUMNS for _ in result_rows]
    for c in range(APPLICANT_COLUMNS):
        weights = [8 if k == 0 else 3 if k in (1, 11) else 1 for k in range(len(result_rows))]
        for _ in range(handled[c]):
            k = rng.choices(range(len(result_rows)), weights)[0]
            by_row[k][c] += 1
    total = [sum(by_row[k][c] for k in range(len(result_rows))) for c in range(APPLICANT_COLUMNS)]

    def put(i: int, vals: list[int]) -> None:
        lines[i] = _replace_numbers(lines[i], vals + [sum(vals)])

    put(rows[0], new)
    put(rows[1], carried_in)
    for k, i in enumerate(result_rows):
        put(i, by_row[k])
    put(rows[-2], total)
    put(rows[-1], carried_out)
    series.carried = carried_out
    return {"new": sum(new), "carried_in": sum(carried_in), "done": sum(total), "carried_out": sum(carried_out)}


def fill_active_2021(lines: list[str], series: Series, rng: random.Random) -> None:
    for i, ln in enumerate(lines):
        if ln.startswith("行政规范性文件 |"):
            issued = rng.randint(0, 6)
            repealed = rng.randint(0, min(2, series.normative_in_force))
            series.normative_in_force += issued - repealed
            lines[i] = _replace_numbers(ln, [issued, repealed, series.normative_in_force])
        elif ln.startswith(("行政许可 |", "行政处罚 |", "行政强制 |")):
            cells = ln.split(" | ")
            cells[1] = str(rng.randint(0, 400))
            lines[i] = " | ".join(cells)


def fill_review(lines: list[str], rng: random.Random) -> None:
    i = next((i for i, ln in enumerate(lines) if re.fullmatch(r"\d+( \| \d+){14}", ln)), None)
    if i is None:
        return
    vals: list[int] = []
    for _ in range(3):
        part = [rng.choice((0, 0, 0, 1, 2)) for _ in range(4)]
        vals += part + [sum(part)]
    lines[i] = " | ".join(map(str, vals))


@dataclass
class Report:
    path: Path
    agency: str
    year: int
    template: str
    defects: list[str]
    size: int = 0


DEFECTS = ("arithmetic", "label-typo", "placeholder", "web-residue", "missing-section", "carryover", "copied")


def inject(text: str, kind: str, template: str) -> str | None:
    """One defect of ``kind``; None when it does not apply to this text."""
    if kind == "arithmetic" and template != "2008":
        return (
            re.sub(
                r"^(（一）予以公开 \| )(\d+)",
                lambda m: m.group(1) + str(int(m.group(2)) + 1),
                text,
                count=1,
                flags=re.M,
            )
            if "（一）予以公开 | " in text
            else None
        )
    if kind == "label-typo" and template != "2008":
        return text.replace("（三）不予公开", "（三）不子公开", 1)
    if kind == "placeholder":
        return re.sub(r"\n(\d{4})年\d{1,2}月\d{1,2}日\s*$", r"\n\1年XX月XX日\n", text)
    if kind == "web-residue":
        return text.rstrip("\n") + "\n\n【打印本页】【关闭窗口】 字号:大 中 小 阅读次数:1024\n"
    if kind == "missing-section":
        return re.sub(r"\n五、[^\n]*\n.*?(?=\n六、)", "\n", text, count=1, flags=re.S)
    if kind == "carryover" and template != "2008":
        return re.sub(
            r"^(二、上年结转政府信息公开申请数量 \| )(\d+)",
            lambda m: m.group(1) + str(int(m.group(2)) + 2),
            text,
            count=1,
            flags=re.M,
        )
    return None


def build(out: Path, count: int, seed: int, defect_rate: float) -> list[Report]:
    rng = random.Random(seed)
    bases = {tid: (EXAMPLES / name).read_text(encoding="utf-8") for tid, (name, _, _) in BASES.items()}
    years = list(range(FIRST_YEAR, LAST_YEAR + 1))
    pool = _han_pool()
    reports: list[Report] = []
    agency_index = 0
    used: set[str] = set()
    while len(reports) < count:
        agency, county, town = agency_names(rng, agency_index)
        while agency in used:  # one name, one agency: the cross-year rules group by name
            agency, county, town = agency_names(rng, agency_index)
        used.add(agency)
        series = Series(normative_in_force=rng.randint(0, 20), prose_seed=rng.randrange(1 << 30))
        for year in years:
            if len(reports) >= count:
                break
            template = template_for(year)
            _, base_agency, base_year = BASES[template]
            text = bases[template]
            defects: list[str] = []
            wanted = rng.choice(DEFECTS) if rng.random() < defect_rate else ""
            # Prose: a fresh seed each year, unless this report copies last year's.
            if wanted == "copied" and year > FIRST_YEAR:
                defects.append("copied")
            else:
                series.prose_seed = rng.randrange(1 << 30)
            prose_rng = random.Random(series.prose_seed)
            text = text.replace(base_agency, "\x00")
            text = text.replace("青山县", county).replace("青山镇", town).replace("\x00", agency)
            # Years: the report year, the year after (signature, plans) and the one before.
            shift = year - base_year
            text = re.sub(r"(19|20)\d{2}", lambda m, shift=shift: str(int(m.group(0)) + shift), text)
            lines = text.split("\n")
            facts: dict[str, int] = {}
            if template != "2008":
                facts = fill_applications(lines, template, series, rng)
                fill_review(lines, rng)
            if template == "2021":
                fill_active_2021(lines, series, rng)
            text = "\n".join(lines)
            if facts:
                text = re.sub(
                    r"全年收到政府信息公开申请\d+件，[^。]*。",
                    f"全年收到政府信息公开申请{facts['new']}件，办结{facts['done']}件"
                    f"（含上年结转{facts['carried_in']}件），结转下年度办理{facts['carried_out']}件。",
                    text,
                )
                text = re.sub(r"收到政府信息公开申请\d+件。", f"收到政府信息公开申请{facts['new']}件。", text)
            target = prose_rng.randint(10_000, 30_000) - len(text.encode("utf-8"))
            extra = _paragraphs(prose_rng, max(0, target), pool)
            extra.append(
                f"全年开展政务公开工作考核{prose_rng.randint(1, 4)}次、"
                f"社会评议{prose_rng.randint(1, 3)}次，未发生责任追究情况。"
            )
            second = re.search(r"\n二、", text)
            cut = second.start() if second else len(text)
            text = text[:cut].rstrip("\n") + "\n\n" + "\n\n".join(extra) + "\n" + text[cut:]
            if wanted and wanted != "copied":
                changed = inject(text, wanted, template)
                if changed is not None and changed != text:
                    text = changed
                    defects.append(wanted)
            part = out / f"part-{len(reports) // 1000:03d}"
            part.mkdir(parents=True, exist_ok=True)
            path = part / f"a{agency_index:05d}-{year}.txt"
            data = text.encode("utf-8")
            path.write_bytes(data)
            reports.append(Report(path, agency, year, template, defects, len(data)))
        agency_index += 1
    with open(out / "manifest.csv", "w", encoding="utf-8", newline="") as fh:
        w = csv.writer(fh)
        w.writerow(["path", "agency", "year", "template", "bytes", "defects"])
        for r in reports:
            w.writerow([r.path.relative_to(out).as_posix(), r.agency, r.year, r.template, r.size, " ".join(r.defects)])
    return reports


def main(argv: list[str] | None = None) -> int:
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument("out", type=Path, help="directory to write the reports into")
    p.add_argument("--count", type=int, default=None, help="number of reports (default 10000; 60 with --small)")
    p.add_argument("--small", action="store_true", help="a small corpus (for tests)")
    p.add_argument("--seed", type=int, default=1)
    p.add_argument("--defect-rate", type=float, default=0.25, help="share of reports with an injected defect")
    args = p.parse_args(argv)
    count = args.count or (60 if args.small else 10_000)
    args.out.mkdir(parents=True, exist_ok=True)
    reports = build(args.out, count, args.seed, args.defect_rate)
    total = sum(r.size for r in reports)
    by_template: dict[str, int] = {}
    for r in reports:
        by_template[r.template] = by_template.get(r.template, 0) + 1
    print(
        f"{len(reports)} reports, {total / 1e6:.1f} MB, mean {total / len(reports) / 1024:.1f} KB; "
        f"formats {dict(sorted(by_template.items()))}; "
        f"{sum(1 for r in reports if r.defects)} with an injected defect -> {args.out}",
        file=sys.stderr,
    )
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
