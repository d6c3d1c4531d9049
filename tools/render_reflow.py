"""Render the reflow fixtures: a short report printed to PDF by LibreOffice, and its text.

Writes tests/fixtures/reflow/<name>.fodt (the report, with a running header and a
「- N -」 page-number footer), <name>.pdf (LibreOffice), <name>.txt (`pdftotext`) and
<name>.layout.txt (`pdftotext -layout`). Needs the Debian packages
libreoffice-writer-nogui, poppler-utils and fonts-noto-cjk; tests use the committed files.

Run: python tools/render_reflow.py
"""

from __future__ import annotations

import shutil
import subprocess
import sys
import tempfile
from pathlib import Path
from xml.sax.saxutils import escape

OUT = Path(__file__).resolve().parents[1] / "tests" / "fixtures" / "reflow"

HEADER = "青禾县人民政府 2024 年政府信息公开工作年度报告"

# (style, text): "title", "h" (heading), "p" (paragraph), "sign" (signature, right-aligned).
CLEAN: list[tuple[str, str]] = [
    ("title", "青禾县人民政府"),
    ("title", "2024 年政府信息公开工作年度报告"),
    (
        "p",
        "本报告根据《中华人民共和国政府信息公开条例》（国令第 711 号，以下简称《条例》）和国务院办公厅"
        "政府信息公开办公室关于年度报告格式的要求编制。报告所列统计期限自 2024 年 1 月 1 日至 2024 年"
        " 12 月 31 日。如对本报告有疑问，请与青禾县人民政府办公室联系（地址：青禾县人民路 8 号，邮编："
        "100000，电话：0000-1234567）。",
    ),
    ("h", "一、总体情况"),
    (
        "p",
        "2024 年，我县坚持以人民为中心的发展思想，认真贯彻落实《中华人民共和国政府信息公开条例》各项规定，"
        "围绕“政务公开助力优化营商环境”和“政策解读进基层”两项重点任务，扎实推进决策、执行、管理、服务、"
        "结果公开，不断提升政府工作透明度，政府信息公开工作取得了新的进展，群众满意度稳步提高。",
    ),
    (
        "p",
        "（一）主动公开情况。2024 年，县政府门户网站主动公开各类政府信息 2356 条，其中政策文件 48 件、"
        "政策解读 36 篇（含图解 12 篇、视频解读 4 个），召开新闻发布会 9 场，编印《青禾县人民政府公报》"
        "12 期，通过政务新媒体发布信息 1820 条，及时回应社会关切，增强了政策的知晓度和影响力。",
    ),
    (
        "p",
        "（二）依申请公开情况。2024 年，全县共收到政府信息公开申请 57 件，上年结转 3 件，全部在法定期限内"
        "办结答复，其中予以公开 21 件，部分公开 8 件，不予公开 4 件，无法提供 15 件，不予处理 6 件，"
        "其他处理 3 件。全年未发生因政府信息公开申请答复引发的行政复议纠错或行政诉讼败诉情况。",
    ),
    (
        "p",
        "（三）政府信息管理情况。严格落实公开前保密审查和公开属性源头认定机制，对拟公开的政府信息逐条审查，"
        "全年开展规范性文件清理 2 次，废止文件 6 件，修改文件 3 件，并在门户网站集中公布清理结果，"
        "确保公开内容准确、完整、权威，切实做到应公开尽公开、不应公开的不公开。",
    ),
    (
        "p",
        "（四）政府信息公开平台建设情况。优化县政府门户网站政府信息公开专栏，新增“惠企政策直通车”"
        "“民生实事进展”等专题 4 个，整合政务新媒体账号 11 个，完善政策问答库，实现政策文件与解读材料"
        "关联发布、同步推送，进一步方便群众查询和获取政府信息。",
    ),
    (
        "p",
        "（五）监督保障情况。将政府信息公开工作纳入全县高质量发展综合考核，建立工作考核、社会评议和责任追究"
        "制度，全年开展社会评议 1 次，组织业务培训 3 期，培训人员 260 人次，未发生需要追究责任的情形。",
    ),
    ("h", "二、主动公开政府信息情况"),
    (
        "p",
        "本年度县政府制发规范性文件 5 件，废止 2 件，现行有效 41 件；行政许可处理决定 3210 件；"
        "行政处罚处理决定 688 件；行政强制处理决定 27 件；行政事业性收费 356.2 万元。",
    ),
    ("h", "三、收到和处理政府信息公开申请情况"),
    (
        "p",
        "本年度新收申请 57 件，上年结转 3 件；办理结果为予以公开 21 件、部分公开 8 件、不予公开 4 件、"
        "无法提供 15 件、不予处理 6 件、其他处理 3 件，总计 57 件；结转下年度继续办理 3 件。",
    ),
    ("h", "四、政府信息公开行政复议、行政诉讼情况"),
    ("p", "本年度因政府信息公开引发行政复议 2 件，结果维持 2 件；行政诉讼 1 件，结果维持 1 件。"),
    ("h", "五、存在的主要问题及改进情况"),
    (
        "p",
        "一是部分单位政策解读形式较为单一，图解、视频等多样化解读占比不高；二是个别乡镇政府信息公开专栏"
        "更新不够及时。下一步，我县将加强解读产品策划，2025 年每季度发布多样化解读不少于 3 个，并按月"
        "通报专栏更新情况，督促相关单位及时整改，切实提升政府信息公开工作质量。",
    ),
    ("h", "六、其他需要报告的事项"),
    (
        "p",
        "2024 年，我县未收取政府信息公开信息处理费。本年度落实政务公开工作要点情况已在县政府门户网站"
        "“政务公开”专栏集中公开，人大代表建议和政协提案办理结果全部按规定公开，公开率为 100%。",
    ),
    ("sign", "青禾县人民政府办公室"),
    ("sign", "2025 年 1 月 20 日"),
]


def fodt(paragraphs: list[tuple[str, str]]) -> str:
    body = []
    for style, text in paragraphs:
        name = {"title": "Title", "h": "Heading", "p": "Body", "sign": "Sign"}[style]
        body.append(f'<text:p text:style-name="{name}">{escape(text)}</text:p>')
    return f"""<?xml version="1.0" encoding="UTF-8"?>
<office:document xmlns:office="urn:oasis:names:tc:opendocument:xmlns:office:1.0"
 xmlns:style="urn:oasis:names:tc:opendocument:xmlns:style:1.0"
 xmlns:text="urn:oasis:names:tc:opendocument:xmlns:text:1.0"
 xmlns:fo="urn:oasis:names:tc:opendocument:xmlns:xsl-fo-compatible:1.0"
 office:version="1.3" office:mimetype="application/vnd.oasis.opendocument.text">
 <office:font-face-decls>
  <style:font-face style:name="Noto Serif CJK SC" svg:font-family="'Noto Serif CJK SC'"
   xmlns:svg="urn:oasis:names:tc:opendocument:xmlns:svg-compatible:1.0"/>
 </office:font-face-decls>
 <office:styles>
  <style:style style:name="Standard" style:family="paragraph">
   <style:text-properties style:font-name="Noto Serif CJK SC" style:font-name-asian="Noto Serif CJK SC"
    fo:font-size="16pt" style:font-size-asian="16pt"/>
  </style:style>
  <style:style style:name="Title" style:family="paragraph" style:parent-style-name="Standard">
   <style:paragraph-properties fo:text-align="center"/>
   <style:text-properties fo:font-size="20pt" style:font-size-asian="20pt"/>
  </style:style>
  <style:style style:name="Heading" style:family="paragraph" style:parent-style-name="Standard">
   <style:paragraph-properties fo:text-indent="32pt"/>
  </style:style>
  <style:style style:name="Body" style:family="paragraph" style:parent-style-name="Standard">
   <style:paragraph-properties fo:text-indent="32pt" fo:text-align="justify"/>
  </style:style>
  <style:style style:name="Sign" style:family="paragraph" style:parent-style-name="Standard">
   <style:paragraph-properties fo:text-align="end"/>
  </style:style>
  <style:style style:name="Furniture" style:family="paragraph" style:parent-style-name="Standard">
   <style:paragraph-properties fo:text-align="center"/>
   <style:text-properties fo:font-size="10.5pt" style:font-size-asian="10.5pt"/>
  </style:style>
 </office:styles>
 <office:automatic-styles>
  <style:page-layout style:name="A4">
   <style:page-layout-properties fo:page-width="21cm" fo:page-height="29.7cm" fo:margin-top="2cm"
    fo:margin-bottom="2cm" fo:margin-left="2.8cm" fo:margin-right="2.6cm"/>
   <style:header-style/><style:footer-style/>
  </style:page-layout>
 </office:automatic-styles>
 <office:master-styles>
  <style:master-page style:name="Standard" style:page-layout-name="A4">
   <style:header><text:p text:style-name="Furniture">{escape(HEADER)}</text:p></style:header>
   <style:footer>
    <text:p text:style-name="Furniture">- <text:page-number text:select-page="current"/> -</text:p>
   </style:footer>
  </style:master-page>
 </office:master-styles>
 <office:body><office:text>
{chr(10).join(body)}
 </office:text></office:body>
</office:document>
"""


def render(name: str, paragraphs: list[tuple[str, str]]) -> None:
    OUT.mkdir(parents=True, exist_ok=True)
    src = OUT / f"{name}.fodt"
    src.write_text(fodt(paragraphs), encoding="utf-8")
    with tempfile.TemporaryDirectory() as tmp:
        subprocess.run(
            [
                "soffice",
                f"-env:UserInstallation=file://{tmp}/profile",
                "--headless",
                "--convert-to",
                "pdf",
                "--outdir",
                tmp,
                str(src),
            ],
            check=True,
            capture_output=True,
        )
        shutil.copy(Path(tmp) / f"{name}.pdf", OUT / f"{name}.pdf")
    subprocess.run(["pdftotext", "-enc", "UTF-8", str(OUT / f"{name}.pdf"), str(OUT / f"{name}.txt")], check=True)
    subprocess.run(
        ["pdftotext", "-enc", "UTF-8", "-layout", str(OUT / f"{name}.pdf"), str(OUT / f"{name}.layout.txt")], check=True
    )


def main() -> int:
    for tool in ("soffice", "pdftotext"):
        if shutil.which(tool) is None:
            print(
                f"{tool} not found: apt-get install libreoffice-writer-nogui poppler-utils fonts-noto-cjk",
                file=sys.stderr,
            )
            return 1
    render("qinghe-2024", CLEAN)
    return 0


if __name__ == "__main__":
    sys.exit(main())
