"""Tables drawn with narrow columns whose labels wrap where the program wraps them (as many
published reports have them): no finding on what the layout made.

The masters (tests/fixtures/narrow-review/*/html.html, make_masters.py NARROW_VARIANTS) are
layout fixture reports with one table's columns narrowed; the PDF of LibreOffice or Chromium and
that PDF's text by pdftotext, with and without -layout, are rendered by
`python tools/render_layouts.py --narrow` (LibreOffice's PDF is kept). The widths were found by
trying random ones and checking every PDF form; each variant is one that went wrong:

- order-adds-up-wrong, some-on-one-line (a clean report; 表四 of a city's figures): plain
  pdftotext gives the row out of order, in column blocks cut by header text. Read in that order
  it did not add up (three GK304 on a clean table), or some figures shared a line and the rest
  were taken for blank cells (GK205 「10 个单元格为空」). The order is the converter's, not proved
  to be the row's: the table is said unread, once. (Runs cut by header text whose reading order
  adds up are read: county-bureau-2019-gk302's plain pdftotext, tests/test_layouts.py.)
- header-wraps-blank (township-2020-blank, 表四 narrow): in -layout the header labels, wrapped a
  character a line, were pieced together across columns and placed the row's two 1s under the
  wrong columns (two GK304). Header labels that do not stand left to right place nothing.
- label-columns-narrow (township-2020-blank, 表三's label columns narrow): Chromium prints the
  wrapped lines of 三、本年度办理结果 and （二）部分公开… one space apart, and a label ran on
  into its neighbour's cell (GK203 「区分处的」, GK206 「三、本年度办 理」): a label's piece now
  stops at a space, and what follows is read anew.
- row-across-pages (county-gov-2021-gk304, 表三's label columns narrow): Chromium breaks a row
  across a page, the last line of its label cells (「息」「供」) on the next page, where
  pdftotext -layout sets the columns anew; a label's exact rest finishes it wherever it stands
  (GK203 「1.本机关不掌握相关政府信」 in -layout). Its PDF is kept: the PDF reader must read it too.
- figures-by-a-group-label (county-gov-2021-gk304, 表三's label columns narrow): in -layout
  （六）2.'s figures stand on the line of 「理」, the last line of the group label （六）其他处理,
  while 2.'s own label goes on below: the group took them (five false GK303, a GK205). Beside a
  group's label only, figures go to a row label wrapped just above them and still short of its end.
- labels-across-a-page (township-2020-blank, 表三's label columns narrow): -layout reported 「数据只有
  6 列」 and 19 missing rows for a table that leaves its zeros blank.
- active-labels-wrap, active-header-order (county-bureau-2019-gk302, 表二 narrow: its value
  columns' labels wrap over three lines): in -layout the last line of a block's column label
  stands apart from the rest, and no other label lacks it (GK203 「上一年项目数」, GK204, GK206);
  in plain pdftotext a block's labels come in another order than its columns (处理决定数量 before
  本年增/减, so 「+18」 was read under 处理决定数量: two GK205). Labels at one column, not side by
  side, that name each of a block's columns once are the columns in the template's order.
- short-row-placed-wrong (county-gov-2020-partblank, 表三 narrow, some zeros blank): on the next
  page a short row's figures, on a line of their own, stand a column left of where the page's
  whole rows put that column; placed by them, the row's sum failed (a false GK302). A short row
  placed where its figures stand is kept only if it adds up; else its blank cells are counted,
  unplaced.
- active-wrapped-tabs (county-bureau-2019-gk302, 表二's value columns narrow): the PDF reader
  gives a wrapped header as two lines of tab cells (「上一」 over 「年项目数量」), and labels of tab
  cells stand in the order of their cells, not of their characters (「+18」 under 处理决定数量:
  GK205); in -layout a label's next line starts a column or two right of it (「采购」 at 22,
  「项目」 at 26: GK203, GK204, GK205, GK206).
- active-labels-before (county-gov-2022-clean, 表二 narrow, Chromium's plain text): 「本年废 现行有」,
  then 「本年制」, then 「发件数 止件数 效件数」: 「发件数」 went to 本年废 past a typo before 本年制,
  which it continues as written (three GK203, a GK204). As written now wins over past a typo.
- active-header-across-page (county-gov-2022-clean, 表二 narrow): its header crosses a page, the
  three 「件数」 of 本年制发|件数 … opening the next one. Two of them near one page break were
  taken for a running header (it takes two breaks); in -layout they stand left of their labels,
  and a block's labels that all lack the same text take its pieces left to right (GK204, GK206).
- order-in-one-run (the city's 表四 again): the row in one run after the whole header, in
  column-block order (72 178 13 4 1 20 …): three GK304. Numbers one per line in a PDF's text are
  the row's order only if they add up in it (so a true GK304 in such a text is said unread too:
  county-gov-2021-gk304's plain pdftotext, tests/test_aligned.py).
- digits-merged (county-gov-2021-gk304, 表三's value columns narrow): two rows' lines overlap in
  Chromium's PDF and -layout prints their digits in the same character cells (「12 00 00 00 00 00
  12」): one row read as 12, the other blank (GK205, two GK303). A figure with a leading zero
  means merged digits: the table is said unread.
- active-sign-out-of-order, active-sign-zipped (county-bureau-2020-clean 表二 at 100/120,
  county-bureau-2019-gk302 at 120/120): a block's first row on Chromium's second page stands
  beside the running title, and pdftotext prints a figure out of order (-layout 「-4 38 34」 for
  38 -4 34; plain text 「43 3 … -6 37 0 3」 for 43 -6 37 and 3 0 3): GK205 「为负数」 on clean
  tables. A figure written with a sign belongs to 本年增/减: a PDF's row with it elsewhere is one
  GK204 naming the row; a plain-text zip that puts it elsewhere is no pairing (table unread).
- active-header-lines-swapped (county-bureau-2019-gk302, 表二 at 80/90): Chromium's -layout prints
  上一年|项目数量 as 「项目数量上一年」 (the wrapped lines on one line, in the order they begin
  from the left): GK204 「缺少列「上一年项目数量」」. A column label's lines in the other order, a
  word of their own, are the label.
- active-heading-after-rows (township-2023-gk301, 表二 at 100/120): Chromium's plain text prints
  第二十条第（八）项's 「信息内容」, row and figure, then 三、收到和处理…, then the block's heading
  and header (GK204 ×2, GK206). A block's heading and header printed right after its rows head
  them.
- active-header-words-swapped, active-header-words-apart (county-bureau-2020-clean, 表二 at 150/52
  and 180/52): a header cell in four lines (本年|新|制作|数量), whose middle two Chromium's -layout
  merges in the order they begin from the left, a space apart (「制作 新」) or two, the second in
  the neighbouring text (「项目  年」): GK204 and GK206 「本年制作」, or three GK203 「上一项目数量」.
  Two words that continue an open label as written the other way round, where the first alone
  does not, are its pieces.
- group-label-across-pages (county-bureau-2019-gk302, 表二 at 80/60, which moves 表三 down): the
  PDF reader. Chromium draws the cell of 三、本年度办理结果, crossing a page with the row （二）,
  without an edge at the break, so it is no cell of either page's grid, and its 「三、」 and 「果」
  were lost (GK204 and GK206 for （二）, 表三's GK303 missed). Text at a place of a row where no
  cell starts and that no cell holds is that place's.
- active-last-line-pushed-right, active-header-word-rotated (county-bureau-2020-clean and
  township-2020-blank, 表二 at 120/60): in Chromium's -layout 处理决定数|量's 「量」 stands on the
  line of 「处理决定数」, pushed right past it (「处理决定数      量」), and 本年|新|制作|数量's
  middle lines are one word 「制作新」: GK203 「上一年项目数」 (the open 处理决定数 took the next
  block's 「量」), GK204 and GK206 「本年制作」. A label's exact rest right after it on its line
  finishes it; a word whose parts the other way round continue an open label are its pieces.
- active-header-words-rotated (county-gov-2020-partblank, 表二 at 150/90): Chromium's -layout
  prints 上一年|项目数量 as 「项目数量  上一年」, two words the other way round (GK204 「缺少列」);
  read as the label where the first word begins no label itself.
- active-header-word-of-three (county-bureau-2020-clean, 表二 at 150/48): 「项目年」 in Chromium's
  -layout, for 上一年项目数量, a label of three blocks, was not read out of order (GK204, GK205,
  GK206 「上一项目年数量」): the label is one, whichever block it turns out to be.
- group-ordinal-beside-row-tail (county-gov-2021-gk304, 表三's label columns narrow): the PDF
  reader. （六）1.'s row is first on Chromium's second page, outside the grid, and its text lines
  end 「（六） 申请」: the group's ordinal took 「申请」 as a row with a wrong ordinal (1.申请人…
  again; GK203 on the row's own label). An ordinal followed by an open label's exact rest begins
  its own label.
- figure-against-label (county-bureau-2019-gk302, 表三 narrowed, which moves 表二's 行政强制 to the
  top of Chromium's second page): -layout prints the row's first figure against its label beside
  the running title (「行政强制3        0     3」: GK205 「1 个单元格为空」). In a PDF's text a row
  label with a number against it is the label, then the number.
- row-label-after-group-line (county-bureau-2019-gk302, 表三's label columns narrow, LibreOffice
  -layout): 「理结果 （区分处理的，只」 closed the row （二） (complete as its short alias) by the text
  under it (GK206 「（区分处理的，只」, GK205, two GK303). A later word of that text that goes on
  with the label keeps it open.
- header-tail-by-page-ends (county-gov-2020-partblank, 表二 at 80/60): in LibreOffice's -layout
  text the last line 「数量」 of two header labels (本年新制作数量, 采购项目数量) ends pages 1 and 2,
  and was taken for a running footer (GK204, GK205, GK206 「本年新制作」「采购项目」). A running
  line has three characters at least.
- total-column-apart (county-gov-2021-gk304, 表三 narrow; printed from a long address): plain
  pdftotext prints 表三's 总计 column after its rows (rows missing, blank cells and an extra
  column were reported), and Chromium's footer address, over 60 characters, was taken for text
  (the running title repeated around it: GK507, and 表二 cut).
- active-figures-after-heading (county-gov-2021-gk304, 表三 narrow, the tables moved down by a
  longer 总体情况: make_masters.py NARROW_SHIFTS): Chromium's plain text prints 表二's labels, then
  三、收到和处理…, the print header's title, and only then 表二's figures, in column blocks. A run of
  labels without a number was no table (GK201 「缺少表二」) and the title, half a page below the
  page break, a repeated paragraph (GK507). The figures after the heading are the table's; their
  order is not the rows' (0 0 21 9 … for 规章 0 0 0, 行政规范性文件 21 9 143): 表二 is said unread.
- short-rows-by-header (township-2020-blank, 表二 narrow, moved down): in LibreOffice's -layout
  text 表三's header and first rows share a page, no row whole (zeros blank), the header's labels
  left to right but off the figures (the note 「（本列数据的勾稽关系为…」 beside the header pushes
  them): placed under the header, 一's 16 1 went to 社会公益组织 and 法律服务机构 (the row adds up
  wherever they stand) and four columns failed GK301. In a PDF's text the header places nothing.
- header-cell-after-row (county-bureau-2019-gk302, 表二 narrow, moved down): LibreOffice's plain
  text prints 第二十条第（八）项's 上一年项目数量, 信息内容, the row 行政事业性收费, then the header
  cell 本年增/减 (GK204 「缺少 2 列」). A block's column labels after its first row, each naming
  another of its columns, are its header.
- header-cells-before-heading (county-gov-2020-partblank, 表二 narrow, moved down): LibreOffice's
  plain text prints （六）'s header cells 本年增/减 and 处理决定数量 after （五）'s rows, before （六）'s
  heading; （五）'s header had named them already, so they stayed （五）'s (GK204 「缺少 3 列」). Column
  labels after a block's rows that its header has named are the next block's.
- review-cell-after-footer (county-bureau-2019-gk302, 表二 narrow, moved down): 表四's row tops
  Chromium's last page; plain pdftotext prints 14 of its figures on a line and the 15th after the
  page's footer (GK205 「15 格只有 14 个数」 on a full table). A figure alone outside the tables on
  a short row's page may be its cell: the row is said unread, naming that figure.
- group-label-over-the-page (county-gov-2021-gk304, 表三 narrow, moved down): in LibreOffice's
  -layout text 「（五」 ends a page and 「）不」「予处」「理」 open the next one, columns to the right
  (-layout sets each page's columns anew): 「）不」 was a row the template lacks and the group read
  「（五予处理」 (GK203). A row label cut by a page break goes on in the next page's first lines.
- figures-after-next-table-heading (county-gov-2022-clean, 表四 narrow, moved down): Chromium's
  plain text prints 表三's labels, then 四、… and 表四's 行政复议, then 表三's figures in column
  blocks. A run of labels without figures was no table: 表三 missing (GK201) and its row labels
  taken for headings (six GK103). It is the table, said unread (its figures were printed elsewhere).
- row-apart-by-page-break (county-bureau-2022-gk203, 表二 narrow, moved down): the PDF reader.
  表三's last row stands alone on the next page of LibreOffice's PDF; the line-by-line reading
  lost it, the aligned one found the report's typo 「不子公开」 (its group label split over two lines
  of tab cells), one fault each, and the line-by-line reading won (GK204 「缺少行」, the GK203
  missed). On a tie the reading that lost fewer rows wins.
- group-row-with-figures-unread (county-gov-2021-gk304, 表二 wide, moved down): LibreOffice's plain
  text of 表三 is unread, but its group row （六）其他处理, read with figures of its own, was taken for
  the 2019 layout (GK202 「使用了已废止的 2019 年格式」, which held back the table's one GK204).
  Whose figures a row of an unread table holds is a guess: no GK202 from it.
- page-first-row-reordered (county-gov-2020-partblank, 表二 narrow, moved down): 表三's first row
  tops Chromium's third page beside the running title, and -layout prints its total among its
  figures (「97 21 140 6 5 8 3」): GK302, and the prose's GK305 「总计为 3」. In a PDF's text a
  page's first row whose sum fails as read, and holds with one figure moved, is not read (one
  GK204 naming it; a true GK302 there goes unfound).
- group-piece-amid-figures (county-gov-2020-partblank, 表三 narrow, moved down): in Chromium's
  -layout text the last line 「理」 of （五）不予处理 stands amid its row's figures (「2.重复申请 2 1
  理   3」): the row was read short of its total (a false GK302 on its blank cells) and the 3 given
  to the next row (GK204). Figures past a group label's piece on their row's line are the row's.
- section-of-labels-only (county-bureau-2022-gk203, 表二 wide, moved down): Chromium's plain text
  prints 表二's row labels, then 三、…, then its block headings, headers and figures: the section
  二、 held table labels and no figure (GK509 「没有任何具体事实」). A section holding its table
  states facts, wherever the table's figures were printed.
- figureless-page-tail (county-bureau-2022-gk203, 表二 narrow, moved down): Chromium's plain text
  prints 表三's first row with its figures, then on the next page every other row's label, 四、…
  and 行政复议, and only then their figures: 24 rows were read as blank (GK205) and four columns
  failed GK301. In a PDF's text the rows from a page break to a table's end that hold no figure,
  after rows that do, are not read (the table's one GK204 names them).
- row-totals-below (county-gov-2020-partblank, 表三 narrow, moved down): Chromium's -layout text
  interleaves （三）3. and 4., their totals on lines of their own below them, taken by the next
  row: 3. and 4. were read short of blank cells, and their sums failed wherever the blanks are
  (two false GK302). Rows short beside their labels just above figures another row took from
  lines of their own are unread too.
- header-tail-in-the-row (township-2020-blank, 表四 narrow, moved down; zeros blank): the PDF
  reader gives the header 其他结果's last line 「果」 in a tab cell of the row's line
  (「1\t\t果\t\t1」): the row was read from its first run of cells only, its 总计 lost (GK304
  on a table that adds up). Tab cells of the one row's line, cut by header text, are placed by
  their fields.
- group-label-down-the-page (county-gov-2020-partblank, 表三 narrow, moved down): as
  group-label-over-the-page, but the rest of （五）不予处理 stands six lines down the next page,
  centred on the group's rows: a group label's rest may stand anywhere on the next page.
- header-line-off-below (township-2020-blank, 表二 narrow, moved down): LibreOffice's -layout sets
  本年|新|制作|数量's 「新」 four columns left of 「本年」 (GK203 「本年制作数量」). A label's next
  line, a few columns off right below it, that no other open label goes on with, goes on with it.
- figure-against-wrapped-label (county-bureau-2020-clean, 表二 narrow, moved down): beside
  Chromium's running title -layout prints a row's first figure against the first line of its
  wrapped label (「行政事业性收2」, then 「费」: GK203 「行政事业性收2费」, GK205). The first line
  of a row label with a number against it, its rest on the next lines, is the label, then the
  number (texts from a print whose time did it, as figure-against-label's).
- header-shredded-blank-rows (township-2020-blank, 表三 narrow, moved down; zeros blank): Chromium's
  -layout shreds the header a character a column and no row holds every figure: no column named,
  all seven were reported missing (GK204 「缺少 7 列」). A header that names none of the columns
  is no header read.
- header-cut-by-page-break (county-gov-2020-partblank, 表三 narrow, moved down): the PDF reader.
  表三's header row crosses a page of LibreOffice's PDF, its wrapped labels' first characters (商
  科 社 法 其) on one page, the rest on the next: read line by line, five mistyped labels (GK203
  「业企业」…), a reading that tied with the aligned one and won. A column label read as only its
  beginning or its end is a cut cell, not a typo: on a tie the reading without such cuts wins.
- block-apart-from-its-figure (county-gov-2021-gk304, 表三 narrow, moved down): Chromium's plain
  text prints 表二's last block heading, the page break, 信息内容 and 行政事业性收费, then 三、…
  and 表三, the block's header cell and figure further on (GK204 「缺少列」, GK205 on a clean
  table). In a PDF's text a block's rows after a page break at the table's end, with neither
  figure nor header, are not read.
- review-row-reordered (county-gov-2021-gk304, 表四 narrow, moved down): 表四's row tops Chromium's
  last page beside the running title, and -layout prints a fragment of it out of place
  (「2 1 0 1 3 1 1   1 0 0 0 1   0 1 3」): two false GK304 beside the report's true one. A page's
  first row whose sums fail as read, and hold (or all but one) with a fragment moved, is not read.
  (Texts from the sweep's print: the print time decides it.)
- last-line-before-next-label (county-gov-2022-clean, 表二 narrow, moved down): Chromium's -layout
  prints 本年废止件|数's last line pushed right on its first line's line, one space before the
  next label (「本年废止件  数 现行有效件数」: GK203 「本年废止件」). What a label lacks exactly may
  be a token's first word. (Texts from the sweep's print.)

Printed in another font (tools/narrow_sweep.py --font; make_masters.py NARROW_FONTS), moved down:
- header-cells-and-labelcol-before-heading, labelcol-alone-before-heading (county-gov-2020-partblank,
  表三 narrow; 楷体 and 黑体): Chromium's plain text prints 表二's header cells 本年增/减 and
  处理决定数量 and a 「信息内容」, or that 「信息内容」 alone, between a block's rows and the next
  block's heading: they made a new header for the block before (GK204 「缺少 5 列」, GK206), and
  the next block's cells after its rows were taken for its own late header (GK204 「缺少 2 列」).
  They are the next block's (the 「信息内容」 too), and so are cells after a block's first row
  naming columns that cells just before its heading named already.
- group-rest-on-next-page, group-rest-mistyped-on-next-page (county-bureau-2019-gk302 表三 narrow,
  county-bureau-2022-gk203 表二 narrow; LibreOffice's plain text): the group label （三）不予公开 cut
  by a page break, 「（三」「）不」「予公」 on one page, 「开」 after the next page's figures (GK203
  「（三）不予公」); the report's own typo in that rest (「子公开」) went unfound. A group label's
  rest on the next page finishes it, one character too, and with a typo in it.
- figure-before-label (township-2023-gk301, 表二 narrow; Chromium's -layout): the block's first row
  beside the running title, its first figure printed against the front of its label (「0规章
  0        0」: GK205 「1 个单元格为空」). In a PDF's text a figure glued before a row label that
  opens its line is the row's, after the label. (Texts from the sweep's print.)
- double-spaced-few-wraps (county-bureau-2022-gk203, 楷体): LibreOffice's -layout text puts a blank
  line after every line, and this short report has few wraps, its signature's two lines next to
  each other: not taken for double spacing, every wrap cut a paragraph (GK306 「各项之和为 250」,
  GK506 「《」「》」不配对). Only lines that leave a sentence open tell the spacing.
- figure-wrapped-in-its-cell (county-gov-2021-gk304, 表三 narrow, 黑体): the PDF reader. 「191」
  over 「1」 in a 总计 cell too narrow for four digits was two figures, the row eight (58 false
  findings): a cell's lines of digits are one figure.

Printed at other sizes too (tools/narrow_sweep.py --size; make_masters.py NARROW_SIZES):
- two-blank-lines-a-line, next-heading-before-table (county-gov-2021-gk304, 表二 narrow, 宋体 小五):
  at 9 pt the line height of 28 pt is two blank lines a line in LibreOffice's -layout text (every
  wrap cut a paragraph: GK306, GK506); Chromium's plain text prints 二、… and 三、… before 表二,
  one region of 表二 and 表三 (GK201 「缺少表二」; then GK105 「没有任何内容」). One or two blank
  lines are spacing where most wraps have them; two tables one after the other, each of lines
  of its own labels, are two regions; a section's table is its content wherever printed.
- labels-with-first-figures (county-bureau-2019-gk302, the same): Chromium's plain text prints
  表三's labels each with its first figure, the rest in column blocks: the line-by-line reading (one
  column, every row missing: two GK204) won over the unread one, which counted missing the rows
  whose labels it read. It no longer does.
- top-rows-reordered (county-gov-2022-clean, the same): three rows at the top of Chromium's page,
  beside the running title, each with its 总计 second in -layout: the first was said unread, the
  next two read (GK302, GK303, GK305). Rows just below a page's first, each out of order like it,
  are unread too.
- typo-inside-a-piece (county-bureau-2022-gk203, 12 pt 宋体): 「（三）」, then 「不子公」: the report's
  typo inside a piece lost the label (GK203 missed). One character mistyped within a piece
  passes, as at its start; so does two-character-word-mistyped's 「子公」 (四号 楷体: 「（三」「）不」
  「子公」「开」), a word of two characters whose first is the typo.
- piece-after-a-space, piece-between-alike-labels (county-bureau-2020-clean,
  county-gov-2020-partblank; 12 pt 宋体, Chromium): -layout prints 「信息内 新」, 「新」 of
  本年|新|制作|数量 columns left of 「本年」 (GK206 「信息内 新容」), or 「制作」 below two labels
  reading 「本年新」, columns off both (GK204, GK206 「本年新数量」); plain text prints
  「83.26万元」 before 「6」 (GK205 「不是数字」). A word after a space that goes on with one open
  label only, or below alike labels the leftmost of them, is theirs; a figure with a unit goes
  to the column of amounts.
- rows-then-figures-out-of-order (county-bureau-2022-gk203, 14 pt 楷体, Chromium's plain text; the
  sweep's print): 表三's last seven rows' labels on the next page, then their 49 figures in
  another order than the rows': shared among the rows in reading order (GK205, GK301, GK302,
  GK303). Figures shared that way are the converter's order: read only if they add up.
- alike-labels-pushed-right (township-2023-gk301, 12 pt 黑体, LibreOffice's -layout): 「本年   本年
  现行」 over 「信息内容     制发   废止   有效」, the second line pushed right by 「信息内容」:
  「制发」 overlapped the second 本年 and 「废止」 was lost (GK204 「缺少列「本年废止件数」」). A
  block's column labels that read alike take the pieces below them left to right.
- table-header-before-its-heading (county-bureau-2020-clean, 14 pt 楷体, Chromium's plain text):
  表四's header cells before 四、…, the rest after it, its first 「结」「果」 taken by 表三 (GK201
  「缺少表四」): a character alone is no label of the table before; 表四 is said unread.
- blank-line-now-and-then (county-gov-2022-clean, 14 pt 宋体, Chromium's -layout): a blank line in
  a paragraph now and then, where the line height rounds up (GK506 「《」「》」不配对): in a PDF's
  text one blank line may be spacing, the indent and the width telling a paragraph's start.
- pieces-of-one-token (county-bureau-2020-clean, 14 pt 宋体, Chromium's -layout): 「年 本年增/减
  处理决定」, three cells' lines one token: labels stood at the token's columns, the 「数量」 under
  处理决定 went to 上一年项目 and the columns came out of order (GK205 「+90」「-4」). A piece of a
  token stands where its characters do.
- labelcol-at-the-tables-end (county-bureau-2022-gk203, 14 pt 楷体, Chromium's plain text): a
  「信息内容」 alone after 表二's last row made a header of its own (GK204 「缺少列」).
- one-character-first-line (county-gov-2020-partblank, 14 pt 楷体; Chromium's PDF kept):
  「信息内 本 本年新 对外公开」 in -layout and the PDF reader, 「本」 the first line of 本|年|新|制|作…
  glued to 信息内容 (GK206 「信息内 本容」): a word one space apart may begin a label by itself. The
  PDF reader read some of the footer address's hyphens as spaces, so the footer was no furniture
  and cut 表二 in two (GK204 ×2).
- header-a-character-a-line (county-gov-2022-clean, 14 pt 宋体, Chromium): 表四's header a
  character a line, 「结 结 其 尚 总」 over 「果 果 他 未 计」 (GK201 「缺少表四」 in both texts); in
  the plain text its first header cells before 四、… too (table-header-before-its-heading): a
  table's labels without a figure, its section's heading, then the rest of it are one region.
- header-row-cut-by-page (county-gov-2022-clean, 14 pt 宋体; Chromium's PDF kept): the PDF reader.
  表四's header row cut by a page break, its cells a character a line: the cut has no rule, so the
  cut cells were no cells and their text lines outside the table (GK204 「缺少行「数据行」」,
  GK206 「结 结 其 尚 总」; plain text: GK201). Where a table's vertical edges end (or begin)
  together with no rule there, the reader closes the cut.
- title-at-page-heads (county-bureau-2019-gk302, 表三 narrow, 12 pt 宋体; Chromium's plain text):
  the print header's title a few lines into the last page, and beside the report's own title on
  the first (three GK507), the title amid 表三 cutting it (GK203, GK204). The report's title near
  the head of a later page is furniture, and on the first page the first of two.
- group-ordinal-before-next-line (township-2023-gk301, 12 pt 宋体; Chromium's -layout): 「三、
  无法提」, the group 三、's ordinal beside （四）'s next line, read as （四）无法提供 with a wrong
  ordinal (GK203): an ordinal before what goes on with an open label begins its own.
- typo-across-a-space (county-gov-2021-gk304, 表三 narrow, 14 pt 宋体; Chromium's -layout): 「果
  其他情形）」: 「果其他」 taken for 法人或其他组织's 「或其他」 past a typo (GK203 「三、本年度办理
  结」). Past a typo a piece goes no further than its word.
- row-label-below-open-groups (county-gov-2021-gk304, 表三 narrow, 12 pt 宋体; LibreOffice's
  -layout): group labels a character a line left open above 「四、结转下年度继续办」, which went on
  with them (GK204 「缺少行」): a word that begins a row's label at length is no short
  continuation.
- piece-off-its-alike-label (county-gov-2020-partblank, 12 pt 宋体; Chromium's -layout, the
  sweep's print): 「本年」「新」 and 「本年新」, then 「公开数」 eight columns right of its label
  (GK204 「缺少列」): a piece below alike labels, one of which went on to its line already, is the
  nearest one's; a word right below a label that goes on with it alone, as written, is its.
- group-cell-cut-among-rows (county-bureau-2022-gk203, 10.5 pt 黑体; LibreOffice's PDF through the
  PDF reader): the group's cell 「（三）不子公开」 spanning rows, its text cut among them (「（三）不」
  beside 1., 「子公开」 beside 2.): the report's GK203 missed. A group's pieces on following rows
  name it together.
- table-words-after-a-heading (township-2020-blank, 表四 narrow, 9 pt 楷体; LibreOffice's plain
  text): 表四's header cells after 六、… (「结果 结果纠 其他 尚未审」): GK507 「结果」连续出现两次.
  A line of table label words only is no prose.
- header-labels-a-column-apart (county-bureau-2020-clean, 12 pt 宋体; LibreOffice's -layout):
  「处理决定数」 at 26 above 「项目数 本年增/减」's 27: the columns taken in that order (GK205
  「+90」「-4」). Labels begun on other lines two columns apart or less are in the template's order.
- labelcol-rest-off-below (county-bureau-2019-gk302, 14 pt 黑体; LibreOffice's -layout): 「信息内」,
  then 「容」 two lines below and seven columns right (GK206 「信息内」): what a 「信息内容」 alone
  lacks finishes it wherever it stands.
- labels-after-their-figures, labels-before-a-long-run (county-gov-2022-clean, 表二 narrow, 12 pt
  黑体): plain pdftotext prints 表三's figures in the rows' order, its labels not — Chromium's
  「（一）予以公开」 to 「1.属于国家秘密」 after （三）4.'s figures and 「息」 of 「5.属于三类内部事务
  信息」 after the page's last figures; LibreOffice's labels in order, then （六）1. to 四's 35
  figures one a line (both: 表三 unread). The figures go to the rows in the template's order where
  each run's label stands just before it (most runs), and a run of more than four rows one a
  line is the rows, not the columns, where its rows add up read so and not read as columns; a
  row label's last character alone on its page finishes it when no other label lacks it.
- header-after-row-before-next-cells (county-bureau-2019-gk302, 表三 narrow, 楷体; Chromium's
  plain text): 表二's first block's header after its first row, the next block's header cells
  before that block's heading (GK204 「缺少 3 列」): the late header is the block's, the cells
  after it the next block's. 表三's figures of 二 to （三）2. one a line with （一）'s defect:
  all rows but that one add up, read as columns more do not (the report's GK302 found).
- row-cut-by-next-heading (county-gov-2022-clean, 表二 narrow, 14 pt 楷体; LibreOffice's plain
  text): 表四's row at a page's end, six figures, then 五、's heading, then the other nine (表四
  unread). Lines of figures alone right after the heading that complete the table exactly are
  its own (not past a sentence: double-spaced-few-wraps, header-cells-before-heading).
- labels-of-a-run-before-it (county-bureau-2022-gk203, 表二 narrow, 9 pt 宋体; Chromium's plain
  text): 表三's labels of （六）3., （七） and 四 together, then their 21 figures: the label just
  before the run is its last row's, not its first's (表三 unread). A run whose label stands just
  before it begins or ends with that label's row.
- group-rest-after-the-figures (county-bureau-2019-gk302, 表三 narrow, 宋体; Chromium's plain
  text): 「开」 of 「（三）不予公开」 on the label's page after all its figures (GK203 「（三）不予
  公」): a group's last character alone finishes it too where no other label lacks it.
- label-rest-amid-figures (county-bureau-2020-clean, 表二 narrow, 黑体; Chromium's plain text):
  「行政事业性收」, 2, 「费」, 0 — a wrapped label's rest between its row's figures cut the run
  (表二 unread); 表三's labels of （二） and （三）1. before the 21 figures of （二） to （三）2.,
  2.'s label after all figures (表三 unread). A label's rest is no text between runs; a run
  covers the row whose label stands just before it, wherever among its rows.
- group-pieces-a-row-apart (county-bureau-2022-gk203, 表二 narrow, 14 pt 黑体; the PDF reader of
  LibreOffice's PDF): 表三's group cell cut by rows, 「（三）不子公」 beside 1., nothing beside 2.,
  「开」 beside 3. (the report's GK203 missed): a row between keeps a group's pieces open.
- row-rest-after-a-group-piece (county-bureau-2020-clean, 表二 narrow, 12 pt 宋体; Chromium's
  plain text): 「度办 只计这一情形，不计其他情形）」, a piece of 三、本年度办理结果 whose beginning
  was not read, then the rest of （二）: the text was read anew from 「其他」 on (GK204 「缺少行」,
  GK206 「…区分处理的，情形）」). Past text no label begins, the next word is read anew.
- block-figure-after-the-row (county-gov-2021-gk304, 表四 narrow, 12 pt 宋体; LibreOffice's plain
  text): 表三's last rows' figures after their labels, one a line but for （七）'s first two
  (「1738 156」), 四's 2 printed last (「27 0 0 0 0 29 2」): read as rows all but 四 add up (GK301
  ×3, GK302, GK305 on a table read so). A row that fails is a defect only where no figure
  moved mends it; here one does: the table is unread.
- header-characters-over-the-page (county-gov-2022-clean, 表四 narrow, 14 pt 宋体; Chromium's
  -layout): 表四's header a character a line, cut by a page break, neighbouring cells'
  characters run together on the next page (「维 纠 结 审结 结 其尚」): four lines of no table
  ended the region (GK201 「缺少表四」, four GK507 on them, in the plain text too). A line of
  four words or more of a character or two, each a table word's, is a table's line.
- unit-figure-first-zipped (county-bureau-2020-clean, 表二 narrow, 12 pt 楷体; Chromium's plain
  text): 政府集中采购's 「83.26万元」 before its 「6」 in a 表二 paired in the template's order (GK205
  「不是数字」): a figure with a unit goes to the column of amounts there too.
- label-word-not-a-typo (county-gov-2021-gk304, 表四 narrow, 12 pt 宋体; LibreOffice's plain
  text): 表三's header cell 「总计」 between 「（二）部分公开（区分处理的，」 and its 「只计这一
  情形，…」, taken for a mistyped 「只计」 (GK204 「缺少行」, GK206 「…区分处理的，总计情形）」):
  a text that is a label of its own is no mistyped piece of another.
- lone-bracket-before-a-row (county-bureau-2019-gk302, 表三 narrow, 12 pt 黑体; LibreOffice's
  texts): （三）不予公开 a character a line, its 「（」 one space before 1.属于国家秘密's first line
  (「（ 1.属于国家」), read as that row with a wrong ordinal (GK204 「缺少行」, GK206, the
  report's GK303 missed): a character alone before a label is no ordinal of it.
- right-columns-after-the-page (county-gov-2021-gk304, 表三 narrow, 14 pt 宋体; Chromium's plain
  text): page 4's rows with their first two figures, then header fragments a line each
  (「公服」「益务」「组机」「织构」: 社会公益组织 beside 法律服务机构) that ended the table, then the
  page's other five columns, a row a line: 17 rows read short of blanks (GK205 「85 个单元格为
  空」, GK302 ×15, GK204 「缺少 8 行」). A line of words of a character or two, each a table
  word's, is a table's: the rest of the table is its own, and the rows short of figures that
  went elsewhere make it unread.
- header-lines-in-plain-text (county-bureau-2019-gk302, 表二 narrow, 12 pt 宋体; Chromium's plain
  text): （九）'s header 「信息内 采购项」, 「采购总金额」, 「容 目数量」 ordered by where the labels'
  lines begin, which in plain text is no column (「265.4万元」 under 采购项目数量: GK205).
  Labels begun on other lines are placed by their columns only where the text sets its columns.
- figures-by-columns-after-labels (county-bureau-2022-gk203, 表二 narrow, 14 pt 宋体; Chromium's
  plain text): 表三's labels （三）1. to （六）1., then their 119 figures a column after another,
  some lines holding two: zipped as rows (GK302 ×14; lines of several figures that held whole
  rows kept the run from the identities' test), or given to （六）1. whole, past its group's
  label (GK205, GK303). Any figure alone on its line puts a run to the test; a group's label
  between keeps the labels before it sharing the run (and the share is unproven): unread.
- blocks-after-next-heading (county-bureau-2020-clean, 表二 narrow, 9 pt 宋体; Chromium's plain
  text): 表二's last three blocks after 三、's heading, cut off at their header's 「量」
  (处理决定数量's last line, a character of 表二's labels and 表三's: GK203, GK204 ×3, GK206). A
  character of two tables' labels is the table's before it when the next text of one table's
  is that table's.
- label-middle-line-first (county-bureau-2019-gk302, 表三 narrow, 楷体; Chromium's plain text):
  「或重新出具已获取信 0 …」, the middle line of 5.要求行政机关确认或重新出具已获取信息 with its
  figures, before its first line — read as a row the template lacks once figures shared among
  rows were read (GK204, GK205, GK206): in a PDF's text a row the template lacks, with figures,
  that is a piece of a row's label not found whole makes the table unread.
- label-rest-before-its-start (county-bureau-2019-gk302, 表三 narrow, 楷体; Chromium's plain
  text): 「申请数量」 of 一、's label printed before 「一、本年新收政府信息公开」; the labels out of
  order were paired with 一、 read in part (GK204 「缺少行」, GK206): labels out of the
  template's order prove the pairing only when every row's label is read whole.
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from gikcheck import check_path
from gikcheck.config import Settings
from gikcheck.document import Document
from gikcheck.engine import check_document, read_bytes
from gikcheck.parsing.furniture import furniture_lines

NARROW = Path(__file__).parent / "fixtures" / "narrow-review"
VARIANTS = sorted(p.name for p in NARROW.iterdir() if (p / "html.html").is_file())
CITY_ROW = ["72", "64", "178", "37", "351", "13", "4", "8", "1", "26", "12", "1", "1", "6", "20"]


def table_findings(path: Path) -> list[tuple[str, str]]:
    return sorted((d.code, d.anchor) for d in check_path(path, Settings()) if d.code.startswith(("GK2", "GK3")))


# (variant, form) -> the tables that form says it cannot read (one GK204 「无法一一对应」 each);
# every other table of every form gives the master's findings.
UNREAD: dict[tuple[str, str], set[str]] = {
    ("active-labels-wrap", "lo-pdftotext.txt"): {"active"},
    # a row's figures printed out of order by pdftotext (tests below)
    ("active-sign-out-of-order", "chromium-pdftotext-layout.txt"): {"active"},
    ("active-sign-zipped", "chromium-pdftotext-layout.txt"): {"active"},  # 「-6 43」 over 「37」: torn
    ("active-sign-zipped", "chromium-pdftotext.txt"): {"active"},
    ("active-figures-after-heading", "chromium-pdftotext.txt"): {"active"},  # column blocks (below)
    ("active-header-word-rotated", "chromium-pdftotext.txt"): {"applications", "review"},  # blanks
    ("digits-merged", "chromium-pdftotext-layout.txt"): {"applications"},
    ("digits-merged", "chromium-pdftotext.txt"): {"applications"},
    # zeros left blank: plain pdftotext drops them (tests/test_layout_limits.py proves it)
    ("figures-by-a-group-label", "lo-pdftotext.txt"): {"applications", "review"},
    ("header-wraps-blank", "lo-pdftotext.txt"): {"applications", "review"},
    ("label-columns-narrow", "chromium-pdftotext.txt"): {"active", "applications", "review"},
    ("active-header-words-rotated", "chromium-pdftotext.txt"): {"applications"},  # 表三 torn
    ("header-tail-by-page-ends", "lo-pdftotext.txt"): {"applications"},
    ("labels-across-a-page", "lo-pdftotext.txt"): {"applications", "review"},
    ("order-adds-up-wrong", "lo-pdftotext.txt"): {"review"},
    ("order-in-one-run", "lo-pdftotext.txt"): {"review"},
    ("short-row-placed-wrong", "lo-pdftotext.txt"): {"applications"},
    ("short-rows-by-header", "lo-pdftotext.txt"): {"applications", "review"},
    ("review-cell-after-footer", "chromium-pdftotext.txt"): {"review"},  # a figure apart (below)
    ("header-cells-before-heading", "lo-pdftotext.txt"): {"applications", "review"},
    ("group-label-over-the-page", "lo-pdftotext.txt"): {"applications", "review"},
    ("figures-after-next-table-heading", "chromium-pdftotext-layout.txt"): {"applications"},
    ("figures-after-next-table-heading", "chromium-pdftotext.txt"): {"applications", "review"},
    ("row-apart-by-page-break", "lo-pdftotext.txt"): {"applications"},
    ("group-row-with-figures-unread", "lo-pdftotext.txt"): {"applications", "review"},
    ("page-first-row-reordered", "chromium-pdftotext.txt"): {"applications"},
    ("group-piece-amid-figures", "chromium-pdftotext.txt"): {"applications"},
    ("figureless-page-tail", "chromium-pdftotext-layout.txt"): {"applications"},
    ("figureless-page-tail", "chromium-pdftotext.txt"): {"applications", "review"},
    ("row-totals-below", "chromium-pdftotext.txt"): {"active", "applications"},
    ("header-tail-in-the-row", "lo-pdftotext.txt"): {"applications", "review"},
    ("group-label-down-the-page", "lo-pdftotext.txt"): {"applications"},
    ("header-line-off-below", "lo-pdftotext.txt"): {"applications", "review"},
    ("figure-against-wrapped-label", "chromium-pdftotext.txt"): {"active"},
    ("header-shredded-blank-rows", "chromium-pdftotext.txt"): {"active", "applications", "review"},
    ("header-cut-by-page-break", "lo-pdftotext.txt"): {"applications"},
    ("block-apart-from-its-figure", "chromium-pdftotext-layout.txt"): {"applications"},
    ("block-apart-from-its-figure", "chromium-pdftotext.txt"): {"active", "applications"},
    ("review-row-reordered", "chromium-pdftotext-layout.txt"): {"review"},  # a page's first row (below)
    ("review-row-reordered", "chromium-pdftotext.txt"): {"review"},
    ("some-on-one-line", "lo-pdftotext.txt"): {"review"},
    ("total-column-apart", "chromium-pdftotext-layout.txt"): {"applications"},
    ("total-column-apart", "chromium-pdftotext.txt"): {"applications"},
    ("header-cells-and-labelcol-before-heading", "chromium-pdftotext.txt"): {"applications"},  # blanks
    ("labelcol-alone-before-heading", "chromium-pdftotext.txt"): {"applications"},
    ("figure-wrapped-in-its-cell", "lo-pdftotext-layout.txt"): {"applications"},  # 「191」 over 「1」
    ("figure-wrapped-in-its-cell", "lo-pdftotext.txt"): {"applications", "review"},
    ("two-blank-lines-a-line", "lo-pdftotext.txt"): {"review"},
    ("labels-with-first-figures", "chromium-pdftotext.txt"): {"applications", "review"},
    ("top-rows-reordered", "chromium-pdftotext-layout.txt"): {"applications"},
    ("top-rows-reordered", "chromium-pdftotext.txt"): {"applications", "review"},
    ("piece-between-alike-labels", "chromium-pdftotext.txt"): {"applications"},
    ("rows-then-figures-out-of-order", "chromium-pdftotext.txt"): {"applications", "review"},
    ("table-header-before-its-heading", "chromium-pdftotext-layout.txt"): {"active"},
    ("table-header-before-its-heading", "chromium-pdftotext.txt"): {"active", "applications"},
    ("blank-line-now-and-then", "chromium-pdftotext.txt"): {"applications", "review"},
    ("pieces-of-one-token", "chromium-pdftotext.txt"): {"applications"},
    ("labelcol-at-the-tables-end", "chromium-pdftotext.txt"): {"applications", "review"},
    ("one-character-first-line", "chromium-pdftotext.txt"): {"active", "applications", "review"},
    ("header-row-cut-by-page", "chromium-pdftotext.txt"): {"applications"},
    ("title-at-page-heads", "chromium-pdftotext-layout.txt"): {"applications"},
    ("title-at-page-heads", "chromium-pdftotext.txt"): {"applications"},
    ("group-ordinal-before-next-line", "chromium-pdftotext.txt"): {"applications", "review"},
    ("typo-across-a-space", "chromium-pdftotext.txt"): {"applications"},
    ("row-label-below-open-groups", "lo-pdftotext.txt"): {"applications", "review"},
    ("piece-off-its-alike-label", "chromium-pdftotext.txt"): {"active", "applications"},
    ("table-words-after-a-heading", "lo-pdftotext.txt"): {"applications", "review"},
    ("double-spaced-few-wraps", "lo-pdftotext.txt"): {"review"},  # figures after prose
    ("block-figure-after-the-row", "lo-pdftotext.txt"): {"applications", "review"},
    ("header-characters-over-the-page", "chromium-pdftotext.txt"): {"applications", "review"},
    ("label-word-not-a-typo", "lo-pdftotext.txt"): {"review"},  # 表四's GK304 in runs
    ("right-columns-after-the-page", "chromium-pdftotext.txt"): {"applications"},
    ("figures-by-columns-after-labels", "chromium-pdftotext.txt"): {"applications"},
    ("blocks-after-next-heading", "chromium-pdftotext.txt"): {"applications"},
    ("label-middle-line-first", "chromium-pdftotext.txt"): {"active", "applications"},
    ("label-rest-before-its-start", "chromium-pdftotext.txt"): {"applications"},
    ("labelcol-rest-off-below", "lo-pdftotext.txt"): {"active"},
}


# (variant, form) -> tables left out of the comparison: a known limit of that report in that form,
# tested where it is known (county-gov-2020-partblank's 表三 in Chromium's -layout: two rows'
# lines interleaved, tests/test_layouts.py KNOWN_UNREAD).
KNOWN_ELSEWHERE: dict[tuple[str, str], set[str]] = {
    ("active-header-words-rotated", "chromium-pdftotext-layout.txt"): {"applications"},
    ("page-first-row-reordered", "chromium-pdftotext-layout.txt"): {"applications"},  # and below
    ("row-totals-below", "chromium-pdftotext-layout.txt"): {"applications"},  # and below
}


def test_every_variant_is_there() -> None:
    read_whole = {
        "active-header-across-page",
        "active-header-lines-swapped",
        "active-header-order",
        "active-header-words-apart",
        "active-heading-after-rows",
        "active-labels-before",
        "active-last-line-pushed-right",
        "active-wrapped-tabs",
        "figure-against-label",
        "figure-before-label",
        "group-rest-mistyped-on-next-page",
        "group-rest-on-next-page",
        "header-a-character-a-line",
        "next-heading-before-table",
        "header-cell-after-row",
        "last-line-before-next-label",
        "section-of-labels-only",
        "group-label-over-the-page",
        "group-cell-cut-among-rows",
        "group-ordinal-beside-row-tail",
        "row-across-pages",
        "row-label-after-group-line",
        "typo-inside-a-piece",
        "piece-after-a-space",
        "alike-labels-pushed-right",
        "labels-after-their-figures",
        "labels-before-a-long-run",
        "header-after-row-before-next-cells",
        "active-header-word-of-three",
        "active-header-words-swapped",
        "group-label-across-pages",
        "two-character-word-mistyped",
        "header-labels-a-column-apart",
        "row-cut-by-next-heading",
        "labels-of-a-run-before-it",
        "group-rest-after-the-figures",
        "label-rest-amid-figures",
        "group-pieces-a-row-apart",
        "row-rest-after-a-group-piece",
        "unit-figure-first-zipped",
        "lone-bracket-before-a-row",
        "header-lines-in-plain-text",
    }
    expected = sorted({variant for variant, _ in UNREAD} | read_whole)
    assert expected == VARIANTS


def _unread(found: list[tuple[str, str]]) -> set[str]:
    """The tables a reading says it cannot read (one GK204 「无法一一对应」 each)."""
    return {anchor.split(":")[1] for code, anchor in found if code == "GK204" and anchor.split(":")[2] == "count"}


def _forms() -> list:
    return [
        pytest.param(variant, form.name, id=f"{variant}-{form.name}")
        for variant in VARIANTS
        for form in sorted(NARROW.joinpath(variant).iterdir())
        if form.name != "html.html"
    ]


@pytest.mark.parametrize("variant, form", _forms())
def test_every_form_gives_the_masters_findings_or_says_a_table_is_unread(variant: str, form: str) -> None:
    left_out = KNOWN_ELSEWHERE.get((variant, form), set())
    master = [f for f in table_findings(NARROW / variant / "html.html") if f[1].split(":")[1] not in left_out]
    found = [f for f in table_findings(NARROW / variant / form) if f[1].split(":")[1] not in left_out]
    unread = _unread(found)
    assert unread == UNREAD.get((variant, form), set())
    assert [f for f in found if f[1].split(":")[1] not in unread] == [
        f for f in master if f[1].split(":")[1] not in unread
    ]
    assert len([f for f in found if f[1].split(":")[1] in unread]) == len(unread)  # one finding each


@pytest.mark.parametrize("variant", ["order-adds-up-wrong", "some-on-one-line"])
def test_plain_pdftotext_scrambles_the_citys_row_and_only_that_table_is_unread(variant: str) -> None:
    text = (NARROW / variant / "lo-pdftotext.txt").read_text(encoding="utf-8")
    part = text[text.index("四、政府信息公开行政复议") : text.index("五、存在的主要问题")]
    figures = re.findall(r"\d+", part)
    assert sorted(figures) == sorted(CITY_ROW) and figures != CITY_ROW  # every figure, out of order
    assert table_findings(NARROW / variant / "html.html") == []
    assert table_findings(NARROW / variant / "lo-pdftotext.txt") == [("GK204", "table:review:count:unreliable")]


def test_a_blank_table_whose_header_wraps_is_its_blank_cells_only() -> None:
    path = NARROW / "header-wraps-blank" / "lo-pdftotext-layout.txt"
    review = [d for d in check_path(path, Settings()) if d.anchor.startswith("table:review")]
    assert [d.code for d in review] == ["GK205"]
    assert review[0].message.startswith("表四有 13 个单元格为空（15 格只有 2 个数）")


def test_labels_one_space_apart_stay_in_their_cells() -> None:
    path = NARROW / "label-columns-narrow" / "chromium-pdftotext-layout.txt"
    assert "度办 理的" in path.read_text(encoding="utf-8")  # two cells' wrapped lines, one space apart
    assert [d.code for d in check_path(path, Settings()) if d.code in ("GK203", "GK206")] == []


def test_a_column_printed_apart_is_one_finding_for_the_table() -> None:
    """Plain pdftotext of Chromium's PDF prints 表三's rows without their 总计, the 总计 column after
    them: many rows short of one figure is a torn table, said once (not rows missing, blank cells
    and an extra column)."""
    path = NARROW / "total-column-apart" / "chromium-pdftotext.txt"
    text = path.read_text(encoding="utf-8")
    assert "\n总计\n1911\n17\n" in text  # the 总计 column, apart
    assert table_findings(path) == [
        ("GK204", "table:applications:count:unreliable"),
        ("GK304", "table:review:GK304:表四「行政复议」"),
    ]


def test_a_portals_long_address_in_the_print_footer_is_page_furniture() -> None:
    """Chromium's footer holds the page's address; plain pdftotext puts it on a line of its own,
    sometimes between a page's cells, and the print time and title of the running header around
    a page's first cell: all of it is furniture, so no text is repeated (GK507) and no table cut."""
    path = NARROW / "total-column-apart" / "chromium-pdftotext.txt"
    doc = read_bytes(path.read_bytes(), str(path))
    lines = doc.text.split("\n")
    address = [n for n, line in enumerate(lines, 1) if line.startswith("file://")]
    assert len(address) == 3 and len(lines[address[0] - 1]) > 60
    title = [n for n, line in enumerate(lines, 1) if line == "白石县人民政府2021年政府信息公开工作年度报告"]
    furniture = furniture_lines(doc)
    assert set(address) <= furniture
    assert title[0] in furniture and title[1] not in furniture  # the header's, then the report's own
    assert set(title[2:]) <= furniture
    assert [d for d in check_path(path, Settings()) if d.code == "GK507"] == []


def test_a_blocks_labels_out_of_order_name_its_columns_in_the_templates_order() -> None:
    path = NARROW / "active-header-order" / "lo-pdftotext.txt"
    text = path.read_text(encoding="utf-8")
    block = text[text.index("第二十条第（五）项") : text.index("行政许")]
    assert block.index("处理决定") < block.index("本年增/减")  # the labels, out of the columns' order
    assert table_findings(path) == table_findings(NARROW / "active-header-order" / "html.html")


def test_a_short_row_placed_where_its_sum_fails_is_left_unplaced() -> None:
    path = NARROW / "short-row-placed-wrong" / "lo-pdftotext-layout.txt"
    (blank,) = [d for d in check_path(path, Settings()) if d.code.startswith(("GK2", "GK3"))]
    assert blank.code == "GK205" and blank.message.startswith("表三有 97 个单元格为空")
    assert "「（五）4.无正当理由大量反复申请」行的 4 个空白单元格（看不出是哪几格）" in [
        p.message for p in blank.places()
    ]


def test_a_header_continued_on_the_next_page_is_the_header() -> None:
    d = NARROW / "active-header-across-page"
    text = (d / "lo-pdftotext.txt").read_text(encoding="utf-8")
    assert "\f件数\n\n件数\n\n件数" in text  # the header's last lines open page 2
    doc = read_bytes((d / "lo-pdftotext.txt").read_bytes(), "x.txt")
    assert not any(doc.line_text(n).strip("\f") == "件数" for n in furniture_lines(doc))
    for form in ("lo-pdftotext.txt", "lo-pdftotext-layout.txt"):
        assert table_findings(d / form) == [], form


def test_merged_digits_make_the_table_unread() -> None:
    path = NARROW / "digits-merged" / "chromium-pdftotext-layout.txt"
    assert " 12 00 00 00 00 00 " in path.read_text(encoding="utf-8")
    assert table_findings(path) == [
        ("GK204", "table:applications:count:unreliable"),
        ("GK304", "table:review:GK304:表四「行政复议」"),
    ]


def _cells(path: Path, table: str) -> dict[tuple[str, str], str]:
    doc = read_bytes(path.read_bytes(), str(path))
    report = check_document(doc)[1]
    (mt,) = [t for t in report.tables if t.spec.key == table]
    return {k: c.cell.text for k, c in mt.cells.items()}


def test_a_signed_figure_out_of_its_column_leaves_the_row_unread() -> None:
    """Chromium's running title overlaps a page's first row: pdftotext -layout prints 「-4 38 34」
    for 「38 -4 34」. A figure written with a sign stands only in 本年增/减, so in a PDF's text a row
    with it elsewhere (and an unsigned figure there) is out of order: one GK204 naming the row, no
    GK205 「为负数」, its cells not read."""
    layout = NARROW / "active-sign-out-of-order" / "chromium-pdftotext-layout.txt"
    assert re.search(r"其他对外管理 +-4 +38 +34\n", layout.read_text(encoding="utf-8"))
    (row,) = [x for x in check_path(layout, Settings()) if x.anchor.startswith("table:active")]
    assert row.code == "GK204"
    why = "「其他对外管理服务事项」行读出的 3 个数（-4 38 34）次序不对：带正负号的「-4」不在「本年增/减」列"
    assert why in row.message
    cells = _cells(layout, "active")
    assert not any(r == "art20_5.other_services" for r, _ in cells)
    assert cells[("art20_5.licensing", "change")] == "+90"


def test_a_zip_that_puts_a_signed_figure_out_of_its_column_is_no_pairing() -> None:
    """Plain pdftotext of the same overlap gives two rows' figures one per line as 「43 3 … -6 37 0
    3」: zipped in that order, 「-6」 fell under 处理决定数量 (GK205 「为负数」 on a clean table). The
    sign disproves the order: the table is said unread."""
    plain = NARROW / "active-sign-zipped" / "chromium-pdftotext.txt"
    text = plain.read_text(encoding="utf-8")
    assert re.search(r"\n43\n3\n\n.*\n\n-6\n37\n0\n", text)
    assert table_findings(plain)[0] == ("GK204", "table:active:count:unreliable")


def test_a_signed_figure_out_of_its_column_elsewhere_is_a_negative_count() -> None:
    """Outside a PDF's text a row's order is its cells': 「-18」 under 上一年项目数量 is GK205."""
    path = Path(__file__).parent / "fixtures" / "layouts" / "county-bureau-2019-gk302" / "w3m-200.txt"
    text = re.sub(r"(行政许可 +│ +)156( +│ +)\+18", r"\g<1>-18\g<2>156", path.read_text(encoding="utf-8"))
    found = [
        (x.code, x.anchor) for x in check_document(Document(text, "x.txt"))[0] if x.anchor.startswith("table:active")
    ]
    assert found == [("GK205", "table:active:cell:art20_5.licensing:last_year_items")]


def test_a_header_cells_lines_printed_in_the_other_order_are_the_label() -> None:
    d = NARROW / "active-header-lines-swapped"
    layout = d / "chromium-pdftotext-layout.txt"
    assert "信息内容 项目数量上一年" in layout.read_text(encoding="utf-8")
    assert table_findings(layout) == table_findings(d / "html.html")
    cells = _cells(layout, "active")
    assert (cells[("art20_8.fees", "last_year_items")], cells[("art20_8.fees", "change")]) == ("4", "-1")


def test_a_blocks_heading_printed_after_its_row_heads_it() -> None:
    d = NARROW / "active-heading-after-rows"
    plain = d / "chromium-pdftotext.txt"
    text = plain.read_text(encoding="utf-8")
    assert text.index("行政事业性收") < text.index("三、收到和处理") < text.index("第二十条第（八）项")
    assert table_findings(plain) == table_findings(d / "html.html")
    assert _cells(plain, "active")[("art20_8.fees", "fee_amount")] == "0"


@pytest.mark.parametrize(
    "variant, merged", [("active-header-words-swapped", "制作 新"), ("active-header-words-apart", "项目  年")]
)
def test_a_header_cells_middle_lines_merged_out_of_order_are_the_label(variant: str, merged: str) -> None:
    d = NARROW / variant
    layout = d / "chromium-pdftotext-layout.txt"
    assert merged in layout.read_text(encoding="utf-8")
    assert table_findings(layout) == table_findings(d / "html.html") == []
    cells = _cells(layout, "active")
    assert cells[("art20_1.normative", "made")] == "3" and cells[("art20_5.licensing", "last_year_items")] == "612"


def test_a_group_label_cell_across_a_page_keeps_its_text_in_the_pdf_reader() -> None:
    """Chromium draws 三、本年度办理结果's cell, crossing a page, without an edge at the break: it was
    no cell of either page's grid, and the reader lost 「三、」 and 「果」, and the row （二） with them
    (GK204, GK206, and 表三's GK303 missed). The cut is closed on each page (the cell's vertical
    edges end together there): its text stays at its place in the rows, on both pages."""
    d = NARROW / "group-label-across-pages"
    doc = read_bytes((d / "chromium-pdf.pdf").read_bytes(), "x.pdf")
    assert "\n三、\t（一）予以公开\t" in doc.text and "\n度办理结果\t（二）部分公开" in doc.text
    assert table_findings(d / "chromium-pdf.pdf") == table_findings(d / "html.html") != []


def test_a_header_labels_last_line_ending_two_pages_is_no_running_footer() -> None:
    d = NARROW / "header-tail-by-page-ends"
    layout = d / "lo-pdftotext-layout.txt"
    doc = read_bytes(layout.read_bytes(), "x.txt")
    tails = [n for n in range(1, doc.line_count + 1) if doc.line_text(n).strip() == "数量"]
    assert len(tails) >= 2 and not set(tails) & furniture_lines(doc)
    assert table_findings(layout) == table_findings(d / "html.html")
    cells = _cells(layout, "active")
    assert cells[("art20_1.normative", "made")] == "9" and cells[("art20_9.procurement", "purchases")] == "27"


def test_a_header_cells_last_line_pushed_right_on_its_first_lines_line_finishes_it() -> None:
    """-layout prints 处理决定数|量's 「量」 on the line of 「处理决定数」, pushed right past it: it
    finished nothing, 处理决定数 stayed open and took the next block's 上一年项目数|量's 「量」
    (GK203 「上一年项目数」)."""
    d = NARROW / "active-last-line-pushed-right"
    layout = d / "chromium-pdftotext-layout.txt"
    assert re.search(r"处理决定数 {3,}量\n", layout.read_text(encoding="utf-8"))
    assert table_findings(layout) == table_findings(d / "html.html")
    assert _cells(layout, "active")[("art20_8.fees", "last_year_items")] == "2"


def test_a_header_cells_middle_lines_in_one_word_out_of_order_are_the_label() -> None:
    d = NARROW / "active-header-word-rotated"
    layout = d / "chromium-pdftotext-layout.txt"
    assert "信息内容 制作新 本年新" in layout.read_text(encoding="utf-8")
    assert table_findings(layout) == table_findings(d / "html.html")
    assert ("art20_1.rules", "made") in _cells(layout, "active")


def test_a_header_word_out_of_order_continues_a_label_of_several_blocks() -> None:
    d = NARROW / "active-header-word-of-three"
    layout = d / "chromium-pdftotext-layout.txt"
    assert "信息内容 项目年 本年增/减" in layout.read_text(encoding="utf-8")
    assert table_findings(layout) == table_findings(d / "html.html")
    assert _cells(layout, "active")[("art20_8.fees", "last_year_items")] == "2"


def test_a_groups_ordinal_beside_its_first_rows_last_line_begins_the_group() -> None:
    """The PDF reader gave （六）1.'s row, first on the page and outside the grid, as lines, the last
    「（六） 申请」: 「（六）」 took 「申请」 as a row with a wrong ordinal (1.申请人…, a second time),
    and the row's own label was left without its end (GK203); an ordinal followed by an open
    label's exact rest now begins its own label. The reader now also closes the page's cut (the
    row's vertical edges begin together at the page's head) and gives the row as cells."""
    d = NARROW / "group-ordinal-beside-row-tail"
    doc = read_bytes((d / "chromium-pdf.pdf").read_bytes(), "x.pdf")
    assert "\t（六）其他处理\t1.申请人无正当理由逾期不补正" in doc.text
    assert table_findings(d / "chromium-pdf.pdf") == table_findings(d / "html.html")


def test_a_header_labels_lines_as_two_words_the_other_way_round_are_the_label() -> None:
    d = NARROW / "active-header-words-rotated"
    layout = d / "chromium-pdftotext-layout.txt"
    assert re.search(r"信息内容 项目数量 {2,}上一年 +本年增/减\n", layout.read_text(encoding="utf-8"))
    active = [f for f in table_findings(layout) if f[1].startswith("table:active")]
    assert active == [f for f in table_findings(d / "html.html") if f[1].startswith("table:active")] == []
    assert _cells(layout, "active")[("art20_8.fees", "last_year_items")] == "6"


def test_two_labels_first_lines_side_by_side_are_not_one_label_the_other_way_round() -> None:
    """表四's header in pandoc's plain text: 「结果   其他」 are the first lines of 结果维持 and 其他结果,
    not 其他结果 printed the other way round."""
    path = Path(__file__).parent / "fixtures" / "layouts" / "township-2020-blank" / "pandoc2-plain.txt"
    (blank,) = [x for x in check_path(path, Settings()) if x.anchor.startswith("table:review")]
    assert blank.code == "GK205" and blank.message.startswith(
        "表四有 13 个单元格为空，应填写数字（没有则填 0）：「行政复议·结果纠正」"
    )


def test_rows_out_of_order_and_short_are_one_finding_naming_one_of_them() -> None:
    from gikcheck.diagnostics import Span
    from gikcheck.document import Cell
    from gikcheck.parsing.report import _unread_rows
    from gikcheck.parsing.tablerows import ShortRow

    out_of_order = ShortRow(
        "行政处罚",
        3,
        3,
        Span(0, 1),
        "art20_6.penalty",
        figures="-6 43 37",
        why="带正负号…",
        label_cell=Cell("行政处罚", Span(0, 1)),
    )
    short = ShortRow("行政强制", 2, 3, Span(2, 3), "art20_6.coercion", label_cell=Cell("行政强制", Span(2, 3)))
    assert _unread_rows([out_of_order]).ident == "row"
    both = _unread_rows([short, out_of_order])
    assert (both.kind, both.ident, both.label) == (
        "count",
        "rows",
        "有 2 行的数在这种版式中看不出各属于哪一列（如「行政处罚」行读出的 3 个数（-6 43 37）次序不对：带正负号…）",
    )
    assert _unread_rows([short]).label == "「行政强制」行读出 2 个数，应为 3 个"
    alone = ShortRow("数据行", 14, 15, Span(4, 5), "review")  # a table of one row (表四), no label
    assert _unread_rows([alone]).label == "读出 14 个数，应为 15 个"


def test_a_figure_printed_against_its_rows_label_is_the_rows_first_figure() -> None:
    """Chromium's running title beside 表二's 行政强制 at the top of a page: -layout prints the row's
    first figure right after the label (「行政强制3」), and the row read short of a figure (GK205 「1
    个单元格为空」 on a clean table). In a PDF's text a row label with a number against it is the
    label, then the number."""
    d = NARROW / "figure-against-label"
    layout = d / "chromium-pdftotext-layout.txt"
    assert re.search(r"行政强制3 +0 +3\n", layout.read_text(encoding="utf-8"))
    assert table_findings(layout) == table_findings(d / "html.html")
    cells = _cells(layout, "active")
    assert [cells[("art20_6.coercion", c)] for c in ("last_year_items", "change", "decisions")] == ["3", "0", "3"]


def test_a_label_line_after_a_group_labels_last_line_continues_its_row() -> None:
    """「理结果 （区分处理的，只」 in LibreOffice's -layout: the group label's last line, then the row
    （二）'s next line. The row label, complete as its short alias 「（二）部分公开」, was closed by the
    text under it, and its next line read as a row the template lacks (GK206, GK205, two GK303)."""
    d = NARROW / "row-label-after-group-line"
    layout = d / "lo-pdftotext-layout.txt"
    assert "理结果 （区分处理的，只\n" in layout.read_text(encoding="utf-8")
    assert table_findings(layout) == table_findings(d / "html.html")


def test_a_tables_figures_all_after_the_next_heading_are_its_own() -> None:
    """Chromium's plain text of a page whose 表二 labels come before 三、… and its figures after it,
    the print header's title between them: the table is there (no GK201), its figures in column
    order (said unread, once), the title page furniture (no GK507), 表三 read as the master's."""
    path = NARROW / "active-figures-after-heading" / "chromium-pdftotext.txt"
    text = path.read_text(encoding="utf-8")
    labels, heading = text.index("行政事业性收费"), text.index("三、收到和处理政府信息公开申请情况")
    assert labels < heading < text.index("\n0\n0\n21\n9\n") < text.index("申请人情况")
    found = [d for d in check_path(path, Settings()) if d.code.startswith(("GK2", "GK3", "GK5"))]
    assert [(d.code, d.anchor) for d in found] == [
        ("GK204", "table:active:count:unreliable"),
        ("GK304", "table:review:GK304:表四「行政复议」"),
    ]
    doc = read_bytes(path.read_bytes(), str(path))
    lines = doc.text.split("\n")
    title = [n for n, line in enumerate(lines, 1) if line == "白石县人民政府2021年政府信息公开工作年度报告"]
    after = lines.index("三、收到和处理政府信息公开申请情况") + 1
    (mid_page,) = [n for n in title if after < n <= after + 3]  # 12 lines from the page break
    assert mid_page in furniture_lines(doc)


def test_a_pdfs_header_does_not_place_a_short_row() -> None:
    """LibreOffice's -layout text: 表三's header on the page of its first rows, none whole (zeros
    left blank); the header's labels stand left to right, but not over the figures. A short row is
    placed only by its page's whole rows, so 一's 「16 1 17」 is counted as blanks, not put under
    社会公益组织 and 法律服务机构 (four false GK301)."""
    path = NARROW / "short-rows-by-header" / "lo-pdftotext-layout.txt"
    text = path.read_text(encoding="utf-8")
    row = next(line for line in text.splitlines() if "一、本年新收政府信息公开申请数量" in line)
    assert row.split()[1:] == ["16", "1", "17"]  # of seven cells
    (blank, review) = [d for d in check_path(path, Settings()) if d.code.startswith(("GK2", "GK3"))]
    assert blank.code == "GK205" and blank.message.startswith("表三有 140 个单元格为空")
    assert review.code == "GK205" and review.anchor.startswith("table:review")
    assert "「一、本年新收政府信息公开申请数量」" in blank.message


def test_a_header_cell_printed_after_its_blocks_row_is_the_header() -> None:
    path = NARROW / "header-cell-after-row" / "lo-pdftotext.txt"
    text = path.read_text(encoding="utf-8")
    block = text[text.index("第二十条第（八）项") : text.index("第二十条第（九）项")]
    assert block.index("上一年") < block.index("行政事业") < block.index("本年增/减") < block.index("\n4\n")
    assert table_findings(path) == table_findings(NARROW / "header-cell-after-row" / "html.html")


def test_a_figure_apart_on_a_short_rows_page_leaves_the_row_unread() -> None:
    path = NARROW / "review-cell-after-footer" / "chromium-pdftotext.txt"
    lines = path.read_text(encoding="utf-8").split("\n")
    row = lines.index("1 1 0 0 2 1 0 0 0 1 0 0 0 1")  # 14 of the row's 15 figures
    footer = next(n for n in range(row, len(lines)) if lines[n].startswith("file://"))
    apart = next(n for n in range(footer, len(lines)) if lines[n] == "1")  # the 15th, after the footer
    review = [d for d in check_path(path, Settings()) if d.anchor.startswith("table:review")]
    assert [(d.code, d.anchor) for d in review] == [("GK204", "table:review:count:row")]
    assert review[0].message.endswith(
        f"读出 14 个数，应为 15 个；同一页表格之外还有单独的数「1」（第 {apart + 1} 行），可能是这张表的"
    )


def test_a_pdfs_table_of_labels_whose_figures_come_later_is_there_and_unread() -> None:
    path = NARROW / "figures-after-next-table-heading" / "chromium-pdftotext.txt"
    text = path.read_text(encoding="utf-8")
    assert text.index("四、结转下年度继续办理") < text.index("四、政府信息公开行政复议") < text.index("\n93\n4\n41\n")
    found = [(d.code, d.anchor) for d in check_path(path, Settings()) if d.code.startswith(("GK1", "GK2", "GK3"))]
    assert found == [("GK204", "table:applications:count:unreliable"), ("GK204", "table:review:count:unreliable")]


def test_a_pages_first_row_whose_sum_holds_with_one_figure_moved_is_not_read() -> None:
    path = NARROW / "page-first-row-reordered" / "chromium-pdftotext-layout.txt"
    lines = path.read_text(encoding="utf-8").split("\n")
    row = next(n for n, line in enumerate(lines) if "一、本年新收政府信息公开申请数量" in line)
    assert lines[row].split()[1:] == ["97", "21", "140", "6", "5", "8", "3"]  # 140 is its total
    assert lines[row - 2].startswith("\f")  # the page's first line: the print time and title
    found = [d for d in check_path(path, Settings()) if d.code.startswith(("GK2", "GK3"))]
    assert [d.code for d in found] == ["GK204", "GK205"]  # no GK302, no GK305 「总计为 3」
    assert "「一、本年新收政府信息公开申请数量」行读出的 7 个数（97 21 140 6 5 8 3）次序不对" in found[0].message
    assert "把「140」换一个位置就成立" in found[0].message
    # The report's other rows of 表三 as the master: the two rows whose lines interleave
    # (tests/test_layouts.py KNOWN_UNREAD) are the GK204's too, the others' blank cells counted.
    assert found[0].message.startswith("表三「收到和处理政府信息公开申请情况」有 3 行的数")
    assert found[1].message.startswith("表三有 89 个单元格为空")


def test_a_section_holding_its_table_states_facts_wherever_the_figures_are() -> None:
    path = NARROW / "section-of-labels-only" / "chromium-pdftotext.txt"
    text = path.read_text(encoding="utf-8")
    section = text[text.index("二、主动公开政府信息情况") : text.index("三、收到和处理政府信息公开申请情况")]
    assert "行政事业性收费" in section and not any(ch.isdigit() for ch in section)
    found = [(d.code, d.anchor) for d in check_path(path, Settings())]
    assert found == [
        (d.code, d.anchor) for d in check_path(NARROW / "section-of-labels-only" / "html.html", Settings())
    ]


def test_rows_above_figures_another_row_took_are_unread_not_short_of_blanks() -> None:
    path = NARROW / "row-totals-below" / "chromium-pdftotext-layout.txt"
    lines = path.read_text(encoding="utf-8").split("\n")
    at = next(n for n, line in enumerate(lines) if "3.危及“三安全一稳定”" in line)
    assert lines[at].split()[-2:] == ["2", "1"] and lines[at + 1].split()[-2:] == ["3", "1"]
    assert [ln.strip() for ln in lines[at + 2 : at + 4]] == ["3", "4"]  # their totals, below them
    found = [d for d in check_path(path, Settings()) if d.code.startswith(("GK2", "GK3"))]
    assert [d.code for d in found] == ["GK204", "GK205"]  # no GK302 on 3. and 4.
    assert found[0].message.startswith("表三「收到和处理政府信息公开申请情况」有 3 行读出的数少于 7 个")


def test_a_pages_first_review_row_with_a_fragment_out_of_place_is_not_read() -> None:
    path = NARROW / "review-row-reordered" / "chromium-pdftotext-layout.txt"
    row = next(line for line in path.read_text(encoding="utf-8").splitlines() if line.strip().startswith("2 1 0 1 3"))
    assert " ".join(row.split()) == "2 1 0 1 3 1 1 1 0 0 0 1 0 1 3"  # for 2 1 0 1 3 | 1 1 0 1 3 | 1 0 0 0 1
    found = [d for d in check_path(path, Settings()) if d.code.startswith(("GK2", "GK3"))]
    assert [(d.code, d.anchor) for d in found] == [("GK204", "table:review:count:row")]  # no GK304 on a guess
    assert found[0].message.startswith(
        "表四「政府信息公开行政复议、行政诉讼情况」读出的 15 个数（2 1 0 1 3 1 1 1 0 0 0 1 0 1 3）次序不对"
    )


def test_a_double_spaced_text_with_few_wraps_keeps_its_paragraphs() -> None:
    path = NARROW / "double-spaced-few-wraps" / "lo-pdftotext-layout.txt"
    lines = path.read_text(encoding="utf-8").split("\n")
    at = next(n for n, line in enumerate(lines) if line.startswith("（一）主动公开"))
    assert lines[at].endswith("学校安全类 97") and lines[at + 1] == "" and lines[at + 2].startswith("条、")
    found = [(d.code, d.anchor) for d in check_path(path, Settings())]
    assert found == [
        (d.code, d.anchor) for d in check_path(NARROW / "double-spaced-few-wraps" / "html.html", Settings())
    ]


def test_a_figure_wrapped_in_its_pdf_cell_is_one_figure() -> None:
    path = NARROW / "figure-wrapped-in-its-cell" / "lo-pdf.pdf"
    layout = (NARROW / "figure-wrapped-in-its-cell" / "lo-pdftotext-layout.txt").read_text(encoding="utf-8")
    assert re.search(r"\n +191\n.*一、本年新收.*\n +1\n", layout)  # 「191」 over 「1」 in its cell
    doc = read_bytes(path.read_bytes(), str(path))
    row = next(line for line in doc.text.split("\n") if line.startswith("一、本年新收"))
    assert row.split("\t")[-1] == "1911"
    assert table_findings(path) == table_findings(NARROW / "figure-wrapped-in-its-cell" / "html.html")


@pytest.mark.parametrize(
    "variant, form",
    [
        ("two-blank-lines-a-line", "lo-pdftotext-layout.txt"),
        ("next-heading-before-table", "chromium-pdftotext.txt"),
        ("blank-line-now-and-then", "chromium-pdftotext-layout.txt"),
    ],
)
def test_small_and_large_type_give_the_masters_findings_outside_the_tables_too(variant: str, form: str) -> None:
    text = (NARROW / variant / form).read_text(encoding="utf-8")
    if variant == "two-blank-lines-a-line":
        assert "\n\n\n" in text[text.index("（一）主动公开") :][:200]  # two blank lines after a wrapped line
    elif variant == "next-heading-before-table":
        assert re.search(r"二、主动公开政府信息情况\n+三、收到和处理政府信息公开申请情况\n+第二十条", text)
    else:
        assert re.search(r"《中华人\n\n +民共和国", text)  # a blank line inside the first paragraph
    found = [(d.code, d.anchor) for d in check_path(NARROW / variant / form, Settings())]
    assert found == [(d.code, d.anchor) for d in check_path(NARROW / variant / "html.html", Settings())]


def test_the_print_headers_title_at_page_heads_is_no_repeated_paragraph() -> None:
    path = NARROW / "title-at-page-heads" / "chromium-pdftotext.txt"
    lines = path.read_text(encoding="utf-8").split("\n")
    title = lines[2]
    assert title.endswith("年度报告") and lines.count(title) >= 3  # the header's, the report's, a page's head
    assert [d for d in check_path(path, Settings()) if d.code in ("GK507", "GK101", "GK107")] == []


def test_table_words_printed_after_another_heading_are_no_repeated_phrase() -> None:
    path = NARROW / "table-words-after-a-heading" / "lo-pdftotext.txt"
    text = path.read_text(encoding="utf-8")
    assert "结果 结果纠" in text[text.index("六、其他需要报告的事项") :]
    assert [d for d in check_path(path, Settings()) if d.code == "GK507"] == []


def test_figures_in_the_rows_order_with_their_labels_out_of_it_are_paired() -> None:
    """Chromium's plain text prints 表三's figures in the rows' order, some labels after them: each
    run of figures whose label stands just before it begins (or ends) at that label's row, and
    the figures are the rows' in the template's order."""
    d = NARROW / "labels-after-their-figures"
    plain = d / "chromium-pdftotext.txt"
    text = plain.read_text(encoding="utf-8")
    assert text.index("4.保护第三方合法权益") < text.index("（一）予以公开") < text.index("5.属于三类内部事务信")
    assert table_findings(plain) == table_findings(d / "html.html") == []
    assert _cells(plain, "applications") == _cells(d / "html.html", "applications")


def test_a_rows_label_just_before_another_rows_figures_proves_no_order(tmp_path: Path) -> None:
    # 「7.」's label before 「6.」's figures, 「6.」's before 「7.」's: which row a run is, the
    # labels and the template's order disagree (one GK204 for the table, nothing else).
    text = (NARROW / "labels-after-their-figures" / "chromium-pdftotext.txt").read_text(encoding="utf-8")
    six, seven = "6.属于四类过程性信息\n", "7.属于行政执法案卷\n"
    assert text.count(six) == text.count(seven) == 1
    path = tmp_path / "report.txt"
    path.write_text(text.replace(six, "\0").replace(seven, six).replace("\0", seven), encoding="utf-8")
    assert table_findings(path) == [("GK204", "table:applications:count:unreliable")]


def test_a_header_a_character_a_line_over_a_page_is_the_tables() -> None:
    d = NARROW / "header-characters-over-the-page"
    for form in ("chromium-pdftotext-layout.txt", "chromium-pdftotext.txt"):
        assert not [x for x in check_path(d / form, Settings()) if x.code == "GK507"], form
    layout = d / "chromium-pdftotext-layout.txt"
    assert "维 纠 结 审结 结 其尚" in layout.read_text(encoding="utf-8")
    assert table_findings(layout) == table_findings(d / "html.html") == []
    assert _cells(layout, "review") == _cells(d / "html.html", "review")
