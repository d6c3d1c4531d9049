"""GK2xx: tables — present, current, labelled as in the template, filled in."""

from __future__ import annotations

from ..diagnostics import Edit, Fix, Severity, Span
from ..normalize import to_simplified
from ..plugins import hookimpl
from ..rule import Rule
from .arithmetic import row_total_checked
from .naming import cell_name, col_title, row_title


def _layout_ok(mt) -> bool:
    """Layout findings on a table drawn on an outdated template are noise: GK202 says it all."""
    return not mt.outdated


class MissingTable(Rule):
    """缺少年度报告格式规定的表格

    **检查什么** 2019 年和 2021 年格式要求三张表：二、主动公开政府信息情况（表二）；
    三、收到和处理政府信息公开申请情况（表三）；四、政府信息公开行政复议、行政诉讼情况（表四）。
    报告中找不到（或无法识别为）其中某张表时报告。表格以竖线、制表符分隔或每格一行的形式均可识别。
    该部分因此只有标题时，只报告缺少表格（不再另报 GK105「部分只有标题」）。

    **依据** 国办公开办函〔2019〕60号、〔2021〕30号附件的年度报告格式。

    **错误示例** 2022 年度报告的「三、收到和处理政府信息公开申请情况」只有文字，没有表格。

    **正确示例** 按格式填写三张表；没有发生的事项填 0。
    """

    code = "GK201"
    name = "missing-table"
    requires = ("tables",)
    # A section left empty where the table belongs: the missing table is the defect to report.
    supersedes = ("GK105",)

    def check(self, report, ctx):
        present = {t.spec.key for t in report.tables}
        for key, spec in report.template.tables.items():
            if key in present:
                continue
            section = report.section(spec.section)
            span = section.heading.span if section else (report.meta.title_span or Span(0, 0))
            where = f"「{section.heading.title}」部分" if section else "报告"
            yield ctx.diagnostic(
                span,
                f"{where}缺少{spec.title}「{spec.name}」（年度报告格式规定的表格）",
                help=f"按{report.template.name}填写{spec.title}；没有发生的事项填 0",
                anchor=f"table:{key}",
            )


class OutdatedTemplate(Rule):
    """使用了已经废止的旧版表格

    **检查什么** 2021 年及以后的年度报告应使用 2021 年格式(国办公开办函〔2021〕30号)。
    表二出现「本年新制作数量」「本年新公开数量」「对外公开总数量」「上一年项目数量」「本年增/减」
    「其他对外管理服务事项」「第二十条第(九)项」「政府集中采购」等 2019 年格式的标签,
    或表三的「（六）其他处理」仍是单独一行数字而没有 1、2、3 三个分项，即为使用了旧格式。

    **依据** 国办公开办函〔2021〕30号印发的《中华人民共和国政府信息公开工作年度报告格式》（2021 年版），
    用于 2021 年度起的报告：表二第二十条第(一)项的列改为「本年制发件数」「本年废止件数」「现行有效件数」，
    第(五)(六)(八)项各只留一列，删去第(九)项政府集中采购；表三「（六）其他处理」分为 1、2、3 三个分项。

    **错误示例** 信息内容 | 本年新制作数量 | 本年新公开数量 | 对外公开总数量 (2022 年度报告表二的表头)

    **正确示例** 信息内容 | 本年制发件数 | 本年废止件数 | 现行有效件数
    """

    code = "GK202"
    name = "outdated-template"
    examples_in = "2021 rows"
    requires = ("outdated-labels",)

    def check(self, report, ctx):
        year = f"{report.meta.year}年度" if report.meta.year else "本"
        for mt in report.tables:
            if not mt.outdated:
                continue
            markers = []
            for marker, _ in mt.outdated:
                if marker not in markers:
                    markers.append(marker)
            shown = "」「".join(markers[:5]) + ("」等" if len(markers) > 5 else "」")
            yield ctx.diagnostic(
                mt.outdated[0][1],
                f"{year}报告的{mt.spec.title}使用了已废止的 2019 年格式：出现「{shown}",
                help=f"改用{report.template.name}的{mt.spec.title}",
                related=[(f"旧格式标签「{m}」", s) for m, s in mt.outdated[1:6]],
                anchor=f"table:{mt.spec.key}",
            )


class LabelMismatch(Rule):
    """表格的行、列标签与格式不一致（错字、序号错误、重复）

    **检查什么** 表格的行标签和列标签与格式逐字比较（忽略全角半角、繁简、空格和标点差异）。
    标签有错别字（如「不子公开」应为「不予公开」）、序号错误（如「12.没有现成信息需要另行制作」）
    或被重复（如「本年度办理结果本年度办理结果」）时报告，并给出格式中的标签。
    标签中的错字同时是固定用语错误时（如「不子公开」），只报告本规则（不再另报 GK505）。

    **依据** 国办公开办函〔2019〕60号、〔2021〕30号附件的表格。

    **错误示例** （三）不子公开；3.补正启申请内容仍不明确

    **正确示例** （三）不予公开；3.补正后申请内容仍不明确
    """

    code = "GK203"
    name = "label-mismatch"
    examples_in = "2021 swap"
    default_severity = Severity.WARNING
    requires = ("tables",)
    fixable = True
    # A typo in a table label is also a misspelt term; the label finding names the row and the template.
    supersedes = ("GK505",)

    _WHY = {"typo": "有错别字", "renumbered": "序号不对", "doubled": "文字重复", "legacy": "沿用了 2019 年格式的写法"}

    def check(self, report, ctx):
        for mt in report.tables:
            if not _layout_ok(mt):
                continue
            for issue in mt.label_issues:
                kind = "行" if issue.kind == "row" else "列"
                found = issue.found.strip(" \t\u3000?？")
                fix = None
                if to_simplified(found) == found:
                    fix = Fix(f"改为「{issue.expected}」", (Edit(issue.span, issue.expected),))
                yield ctx.diagnostic(
                    issue.span,
                    f"{mt.spec.title}的{kind}标签「{found}」{self._WHY.get(issue.quality, '与格式不一致')}，"
                    f"应为「{issue.expected}」",
                    help=f"改为「{issue.expected}」",
                    fix=fix,
                    anchor=f"table:{mt.spec.key}:{issue.kind}:{issue.expected}",
                )


class MissingRowOrColumn(Rule):
    """表格缺少格式规定的行或列

    **检查什么** 表格存在，但缺少格式规定的某一行（如表三的「（五）不予处理 3.要求提供公开出版物」）、
    某一列（如表三的「社会公益组织」）或表二的某个「第二十条第（×）项」部分。
    同一张表缺少的行（或列、部分）合并为一个问题，列出每一处。各格都空白的行不算缺少（见 GK205）。

    **依据** 国办公开办函〔2019〕60号、〔2021〕30号附件的表格；《条例》第五十条"不能遗漏"。

    **错误示例** 1 | 0 | 0 | 0 | 1 | 0 | 0 | 0 | 0 | 0 | 0 | 0 | 0 | 0 (表四的数字行只有 14 个数字,格式规定 15 列)

    **正确示例** 1 | 0 | 0 | 0 | 1 | 0 | 0 | 0 | 0 | 0 | 0 | 0 | 0 | 0 | 0
    """

    code = "GK204"
    name = "missing-row-or-column"
    examples_in = "2021 rows"
    requires = ("tables",)
    group_by = "table"
    group_key = "pattern"  # missing rows are one finding per table, missing columns another

    _KIND = {"row": "行", "column": "列", "block": "部分"}

    @classmethod
    def group_message(cls, where, members):
        first = members[0]
        kind = first.data.get("pattern", "row")
        labels = [m.data.get("label", "") for m in members]
        unit = "个" if kind == "block" else ""
        return (
            f"{first.data.get('table', where)}缺少 {len(members)} {unit}{cls._KIND.get(kind, '项')}："
            f"{_listed(labels, '', cap=4)}"
        )

    @classmethod
    def place_label(cls, member):
        return f"缺少{cls._KIND.get(member.data.get('pattern', ''), '')}「{member.data.get('label', '')}」"

    def check(self, report, ctx):
        for mt in report.tables:
            if not _layout_ok(mt):
                continue
            first = next((c.span for r in mt.raw.rows for c in r.cells if not c.empty), mt.span)
            for m in mt.missing:
                where = f"的「{m.block}」部分" if m.block else ""
                if m.kind != "count":
                    what = f"缺少{self._KIND[m.kind]}「{m.label}」"
                elif m.ident == "columns":
                    what = f"{m.label}，无法确定缺少哪一列"
                else:  # rows the reader could not align: the label says what and why
                    what = m.label
                unread = m.kind == "count" and m.ident != "columns"
                yield ctx.diagnostic(
                    self._where(mt, m, first),
                    f"{mt.spec.title}「{mt.spec.name}」{where}{what}",
                    help=(
                        "核对这张表：数字应与其行标签在同一行、每格一个数，空白单元格填 0；或用 Word/网页版本检查"
                        if unread
                        else "按格式补全表格；没有发生的事项填 0"
                    ),
                    anchor=f"table:{mt.spec.key}:{m.kind}:{m.ident}",
                    pattern=m.kind,
                    label=(f"{m.block}·" if m.block else "") + m.label,
                    table=f"{mt.spec.title}「{mt.spec.name}」",
                )

    @staticmethod
    def _where(mt, missing, default):
        """A missing row is shown where it belongs: at the label of the next row present."""
        if missing.kind != "row":
            return default
        keys = (
            [r.id for r in mt.spec.rows]
            if "." not in missing.ident
            else [f"{b.id}.{r.id}" for b in mt.spec.blocks for r in b.rows]
        )
        if missing.ident in keys:
            for key in keys[keys.index(missing.ident) + 1 :]:
                if key in mt.row_labels:
                    return mt.row_labels[key].span
        return default


class BadCell(Rule):
    """单元格为空、不是数字、为负数或小数

    **检查什么** 表格中应填件数的单元格必须是非负整数；「本年增/减」可带正负号；
    金额（采购总金额、本年收费金额）可为小数。空白、「—」「/」、文字、负数或小数件数都会被报告。
    同一张表中同一类问题只报告一次，列出全部单元格的位置（如「表三有 125 个单元格为空」）；
    `--statistics` 按单元格计数。勾稽关系检查把空白单元格当作 0。
    把空白单元格画成空格的版式（如 PDF 经 `pdftotext -layout` 转成的文本）看不出一行中空的是哪几格：
    这样的行按格式的列数计入空白单元格（「7 格只有 3 个数」），作为一处列出（`--statistics` 也算一处），
    不核对各列的勾稽关系；表三这样的行仍核对其总计（见 GK302）。

    **依据** 年度报告格式的表格均为计数表，没有发生的事项应填 0。

    **错误示例** 二、上年结转政府信息公开申请数量 | | 0 | 0 | 0 | 0 | 0 | — (「自然人」列为空,「总计」列写「—」)

    **正确示例** 二、上年结转政府信息公开申请数量 | 0 | 0 | 0 | 0 | 0 | 0 | 0
    """

    code = "GK205"
    name = "bad-cell"
    examples_in = "2021 rows"
    requires = ("tables",)
    group_by = "table"
    group_key = "pattern"  # blank cells are one pattern, words in number cells another

    _WHY = {
        "blank": "为空，应填写数字（没有则填 0）",
        "non-numeric": "「{text}」不是数字",
        "negative": "为负数（{text}），件数不能为负",
        "fractional": "为小数（{text}），件数应为整数",
        "too-long": "的数字超过 15 位，不是合理的数值",
    }
    _MANY = {
        "blank": "为空，应填写数字（没有则填 0）",
        "non-numeric": "不是数字",
        "negative": "为负数，件数不能为负",
        "fractional": "为小数，件数应为整数",
        "too-long": "的数字超过 15 位，不是合理的数值",
    }

    def check(self, report, ctx):
        for mt in report.tables:
            for (row_key, col_id), cell in mt.cells.items():
                if not cell.problem:
                    continue
                why = self._WHY[cell.problem].format(text=cell.cell.text.strip())
                name = cell_name(mt, row_key, col_id)
                yield ctx.diagnostic(
                    cell.cell.span,
                    f"{mt.spec.title}{name}的单元格{why}",
                    anchor=f"table:{mt.spec.key}:cell:{row_key}:{col_id}",
                    pattern=cell.problem,
                    cell=name,
                    text=cell.cell.text.strip(),
                    row="" if mt.spec.single_row else row_title(mt, row_key),
                    column=col_title(mt, col_id, row_key),
                )
            placed_blanks = any(c.problem == "blank" for c in mt.cells.values())
            # What is not checked of a row whose blank cells are not placed: its total, against the
            # sum of its other figures, still is where the total is the last column (GK302).
            total_checked = row_total_checked(mt)
            unchecked = "这一行只核对了总计" if total_checked else "这一行未核对勾稽关系"
            if mt.spec.single_row:
                unchecked = "这张表未核对勾稽关系"
            for u in mt.unplaced:
                blanks = u.want - u.got
                # Alone, a row standing for several blank cells is the table's blank-cell finding,
                # anchored as the engine anchors several blank cells grouped (baselines match it).
                alone = blanks > 1 and len(mt.unplaced) == 1 and not placed_blanks
                row = "" if mt.spec.single_row else row_title(mt, u.row)
                yield ctx.diagnostic(
                    u.span,
                    f"{mt.spec.title}{f'「{row}」行' if row else ''}有 {blanks} 个单元格为空"
                    f"（{u.want} 格只有 {u.got} 个数），应填写数字（没有则填 0）；"
                    f"这种版式看不出空的是哪几格，{unchecked}",
                    anchor=f"table:{mt.spec.key}:blank" + ("" if alone else f":{u.row}"),
                    pattern="blank",
                    blanks=blanks,
                    total_checked=total_checked,
                    cell=f"「{row}」行的" if row else "",
                    row=row,
                )

    @classmethod
    def group_message(cls, where, members):
        problem = members[0].data.get("pattern", "blank")
        placed = [m for m in members if "blanks" not in m.data]
        count = len(placed) + sum(m.data.get("blanks", 0) for m in members)
        named = _cells_named(placed) if placed else ""
        rows = [m for m in members if "blanks" in m.data]
        if rows:
            # Rows of a layout that dropped their blank cells (BadCell's docstring).
            shown = "".join(f"「{m.data['row']}」" for m in rows[:3] if m.data["row"])
            many = f"等 {len(rows)} 行" if len(rows) > 3 else "行"
            them = "这些行" if shown else "这张表"
            checked = f"{them}只核对了总计" if rows[0].data["total_checked"] else f"{them}未核对勾稽关系"
            named += (
                f"{'；另有' if placed else ''}{shown}{many if shown else '表中'}"
                f"的 {sum(m.data['blanks'] for m in rows)} 个空白单元格在这种版式中看不出是哪几格，{checked}"
            )
        return f"{where}有 {count} 个单元格{cls._MANY.get(problem, '有误')}：{named}"

    @classmethod
    def place_label(cls, member):
        if "blanks" in member.data:
            where = f"{member.data['cell']} " if member.data["cell"] else ""
            return f"{where}{member.data['blanks']} 个空白单元格（看不出是哪几格）"
        text = member.data.get("text", "")
        return member.data.get("cell", member.message) + (f"「{text}」" if text else "")


def _listed(names: list[str], what: str, cap: int = 5) -> str:
    """「a」「b」「c」 or 「a」至「z」共 N 行 (a long list of rows or columns, named by its ends);
    without ``what``, 「a」「b」「c」等."""
    if len(names) <= cap:
        return "".join(f"「{n}」" for n in names) + what
    if not what:
        return "".join(f"「{n}」" for n in names[:cap]) + "等"
    return f"「{names[0]}」至「{names[-1]}」共 {len(names)} {what}"


def _cells_named(members) -> str:
    """The cells of a grouped GK205, compactly: whole rows × columns when they form a rectangle."""
    rows = list(dict.fromkeys(m.data.get("row", "") for m in members))
    cols = list(dict.fromkeys(m.data.get("column", "") for m in members))
    if len(rows) * len(cols) == len(members) and all(cols):
        if rows == [""]:
            return _listed(cols, "列" if len(cols) <= 5 else "个单元格")
        if len(rows) == 1:
            return f"「{rows[0]}」行的{_listed(cols, '列')}"
        if len(cols) == 1:
            return f"「{cols[0]}」列的{_listed(rows, '行')}"
        return f"{_listed(cols, '列')}，{_listed(rows, '行')}"
    shown = "、".join(m.data.get("cell", "") for m in members[:3])
    return shown + (" 等" if len(members) > 3 else "")


class ExtraRowOrColumn(Rule):
    """表格中有格式没有的行或列

    **检查什么** 表格中出现格式没有规定、也无法对应到格式标签的行或列。同一张表多出的行（或列）合并为一个问题。

    **依据** 国办公开办函〔2019〕60号、〔2021〕30号附件的表格。

    **错误示例** （八）转办 | 1 | 0 | 0 | 0 | 0 | 0 | 1 (表三多出一行)

    **正确示例** （七）总计 | 2 | 1 | 0 | 0 | 0 | 0 | 3 (只保留格式规定的行和列,转办等情况在正文中说明)
    """

    code = "GK206"
    name = "extra-row-or-column"
    examples_in = "2021 rows:四、结转下年度继续办理"
    default_severity = Severity.WARNING
    requires = ("tables",)
    group_by = "table"
    group_key = "pattern"  # extra rows are one finding per table, extra columns another

    @classmethod
    def group_message(cls, where, members):
        kind = "行" if members[0].data.get("pattern") == "row" else "列"
        texts = [m.data.get("text", "") for m in members]
        return f"{where}中有 {len(members)} {kind}格式没有的{kind}：{_listed(texts, '', cap=4)}"

    @classmethod
    def place_label(cls, member):
        return f"「{member.data.get('text', '')}」"

    def check(self, report, ctx):
        for mt in report.tables:
            if not _layout_ok(mt):
                continue
            for e in mt.extras:
                kind = "行" if e.kind == "row" else "列"
                yield ctx.diagnostic(
                    e.span,
                    f"{mt.spec.title}中有格式没有的{kind}「{e.text}」",
                    help="删除该" + kind + "，或改为格式中的标签",
                    anchor=f"table:{mt.spec.key}:extra:{e.text}",
                    pattern=e.kind,
                    text=e.text,
                )


@hookimpl
def gikcheck_rules():
    return [MissingTable, OutdatedTemplate, LabelMismatch, MissingRowOrColumn, BadCell, ExtraRowOrColumn]
