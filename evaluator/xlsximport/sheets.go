package xlsximport

import (
	"archive/zip"
	"regexp"
	"strings"
	"unicode/utf8"

	"github.com/xuri/excelize/v2"

	"github.com/budgetcheck/budgetcheck/evaluator/submission"
)

// Field keys of a project, whatever the layout.
const (
	fCode        = "code"
	fName        = "name"
	fUnit        = "budget_unit"
	fDepartment  = "department"
	fTerm        = "term"
	fType        = "type"
	fNew         = "new"
	fAllocation  = "allocation"
	fTotal       = "total"
	fYear        = "year_amount"
	fPolicyBasis = "policy_basis"
	fCostBasis   = "cost_basis"
	fAnnualGoal  = "annual_goal"
	fLongTerm    = "long_term_goal"
	fRemark      = "remark"
)

// labels name the fields as the forms and exports write them; a label or
// header matches when it starts with one of these (after removing spaces),
// so that "本年度项目金额（万元）" is the year's amount in 万元.
var labels = []struct {
	field string
	names []string
}{
	{fCode, []string{"项目编码", "项目代码"}},
	{fName, []string{"项目名称"}},
	{fUnit, []string{"申请单位", "申报单位"}},
	{fDepartment, []string{"一级预算单位", "主管部门"}},
	{fTerm, []string{"实施期限", "实施周期"}},
	{fType, []string{"项目类型", "项目类别"}},
	{fNew, []string{"是否新增项目", "是否新增"}},
	{fAllocation, []string{"分配方式"}},
	{fTotal, []string{"项目总金额", "总金额"}},
	{fYear, []string{"本年度项目金额", "本年度金额", "本年金额"}},
	{fPolicyBasis, []string{"政策依据", "立项依据"}},
	{fCostBasis, []string{"测算依据"}},
	{fAnnualGoal, []string{"年度目标", "年度绩效目标"}},
	{fLongTerm, []string{"长期目标", "中长期目标"}},
	{fRemark, []string{"备注"}},
}

// Human names of the fields, for messages.
var fieldLabel = map[string]string{}

func init() {
	for _, l := range labels {
		fieldLabel[l.field] = l.names[0]
	}
}

// fieldOf returns the field a label or header names, or "".
func fieldOf(text string) string {
	s := squash(text)
	for _, l := range labels {
		for _, n := range l.names {
			if strings.HasPrefix(s, n) {
				return l.field
			}
		}
	}
	return ""
}

// labelField returns the field of a form label: text ending in a colon
// ("项目编码：", half-width colons too).
func labelField(text string) string {
	s := squash(text)
	if !strings.HasSuffix(s, "：") && !strings.HasSuffix(s, ":") {
		return ""
	}
	return fieldOf(strings.TrimRight(s, "：:"))
}

// cutLabel splits a cell holding a label and its value ("项目编码：5101…").
func cutLabel(text string) (field, value string, ok bool) {
	i := strings.IndexAny(text, "：:")
	if i < 0 {
		return "", "", false
	}
	_, size := utf8.DecodeRuneInString(text[i:])
	field, value = labelField(text[:i+size]), trim(text[i+size:])
	return field, value, field != "" && value != ""
}

// Columns of an indicator table.
const (
	cL1 = iota
	cL2
	cL3
	cValue
	cExpl
	cCode // the flat export's link to its project
)

var tableHeads = map[int][]string{
	cL1:    {"一级指标"},
	cL2:    {"二级指标"},
	cL3:    {"三级指标"},
	cValue: {"目标值", "指标值", "年度指标值"},
	cExpl:  {"指标解释", "指标说明"},
	cCode:  {"项目编码", "项目代码"},
}

// tableHeader finds, in a row, the columns of an indicator table. The three
// levels and the value are required.
func tableHeader(g *grid, row int) (map[int]int, bool) {
	cols := map[int]int{}
	for c := 1; c <= g.cols(row); c++ {
		s := squash(g.at(row, c))
		for key, names := range tableHeads {
			for _, n := range names {
				if _, seen := cols[key]; !seen && strings.HasPrefix(s, n) {
					cols[key] = c
				}
			}
		}
	}
	for _, key := range []int{cL1, cL2, cL3, cValue} {
		if _, ok := cols[key]; !ok {
			return nil, false
		}
	}
	return cols, true
}

// reader imports one workbook.
type reader struct {
	f        *excelize.File
	file     string
	opts     Options
	files    map[string]*zip.File // the package's parts by lower-case name
	parts    map[string]string    // sheet name → its part
	formats  map[int][2]bool      // cell style → (date, percent)
	warnings submission.Problems  // about the workbook, not one project
}

// formTitle is how a form's title ends ("二级项目支出绩效目标申报表",
// "2022年度二级项目支出绩效目标申报表（草稿）").
var formTitle = regexp.MustCompile(`绩效目标申报表(（[^）]*）|\([^)]*\))?$`)

// isForm reports whether a sheet is a one-project form: its title is in one
// of the first rows.
func isForm(g *grid) (row, col int, ok bool) {
	for r := 1; r <= min(g.rows(), 5); r++ {
		for c := 1; c <= g.cols(r); c++ {
			if formTitle.MatchString(squash(g.at(r, c))) {
				return r, c, true
			}
		}
	}
	return 0, 0, false
}

// flatHeader finds the header row of a flat export's sheet: the first row
// (of the first ten) whose cells name every one of want.
func flatHeader(g *grid, want ...string) (int, map[string]int, bool) {
	for r := 1; r <= min(g.rows(), 10); r++ {
		cols := map[string]int{}
		for c := 1; c <= g.cols(r); c++ {
			if f := fieldOf(g.at(r, c)); f != "" {
				if _, seen := cols[f]; !seen {
					cols[f] = c
				}
			}
		}
		all := true
		for _, w := range want {
			if _, ok := cols[w]; !ok {
				all = false
			}
		}
		if all {
			return r, cols, true
		}
	}
	return 0, nil, false
}

func (r *reader) workbook() (*Workbook, error) {
	wb := &Workbook{File: r.file}
	var raws []*rawProject
	var flatProjects, flatIndicators []*grid
	skip := func(name string, m msg) {
		wb.Warnings = append(wb.Warnings, m.problem(WarnSheetSkipped, "", submission.Pos{File: r.file + "#" + sheetRef(name)}))
	}
	for _, name := range r.f.GetSheetList() {
		if visible, err := r.f.GetSheetVisible(name); err == nil && !visible {
			skip(name, say("sheet %q is hidden: skipped", "工作表“%s”已隐藏：跳过", name))
			continue
		}
		g, err := r.readGrid(name)
		if err != nil {
			skip(name, say("sheet %q cannot be read (%v): skipped", "工作表“%s”无法读取（%v）：跳过", name, err))
			continue
		}
		if tr, tc, ok := isForm(g); ok {
			raws = append(raws, r.form(g, tr, tc))
			continue
		}
		// An indicator list may repeat 项目名称: look for it first.
		if row, ok := indicatorSheet(g); ok && row > 0 {
			flatIndicators = append(flatIndicators, g)
			continue
		}
		if _, _, ok := flatHeader(g, fCode, fName); ok {
			flatProjects = append(flatProjects, g)
			continue
		}
		skip(name, say("sheet %q is neither a 绩效目标申报表 nor a project or indicator list: skipped", "工作表“%s”既不是绩效目标申报表，也不是项目清单或指标清单：跳过", name))
	}
	switch {
	case len(raws) > 0:
		wb.Layout = LayoutForm
	case len(flatProjects) > 0:
		wb.Layout = LayoutFlat
	}
	for _, g := range flatProjects {
		raws = append(raws, r.flat(g, flatIndicators)...)
	}
	if len(flatProjects) == 0 && len(flatIndicators) > 0 {
		skip(flatIndicators[0].sheet, say("an indicator list without a project list (项目编码, 项目名称 …): skipped", "只有指标清单，没有项目清单（项目编码、项目名称……）：跳过"))
	}
	if len(raws) == 0 {
		return nil, submission.Problems{say("no project found: expected sheets titled 二级项目支出绩效目标申报表, or a project list with 项目编码 and 项目名称 columns",
			"没有找到项目：应为标题为“二级项目支出绩效目标申报表”的工作表，或有“项目编码”“项目名称”列的项目清单").problem(CodeNoProjects, "", submission.Pos{File: r.file})}
	}
	for _, rp := range raws {
		wb.Projects = append(wb.Projects, r.build(rp))
	}
	wb.Warnings = append(wb.Warnings, r.warnings...)
	wb.Warnings.Sort()
	r.distinguish(wb)
	return wb, nil
}

// indicatorSheet finds the header row of a flat export's indicator sheet.
func indicatorSheet(g *grid) (int, bool) {
	for row := 1; row <= min(g.rows(), 10); row++ {
		if cols, ok := tableHeader(g, row); ok {
			if _, linked := cols[cCode]; linked {
				return row, true
			}
		}
	}
	return 0, false
}

// rawProject is a project's cells before they become a submission.
type rawProject struct {
	sr         *sheetReader
	row        int // the project's row in a flat export
	fields     map[string]fact
	headers    map[string]string // the label or header text of each field, for units
	projectPos submission.Pos
	title      string
	tablePos   submission.Pos
	hasTable   bool
	targets    []rawTarget
	// indicators reads the project's rows of a flat export's indicator sheet.
	indicators *sheetReader
}

type rawTarget struct {
	cells [5]fact // cL1 … cExpl
	row   int
}

// form reads a one-project sheet: labels, the indicator table, 备注.
func (r *reader) form(g *grid, titleRow, titleCol int) *rawProject {
	sr := &sheetReader{file: r.file, g: g}
	rp := &rawProject{sr: sr, fields: map[string]fact{}, headers: map[string]string{}, projectPos: sr.pos(titleRow, titleCol), title: g.clean(titleRow, titleCol)}
	if titleRow < g.rows() && g.clean(titleRow+1, titleCol) != "" && labelField(g.at(titleRow+1, titleCol)) == "" {
		rp.title += " " + g.clean(titleRow+1, titleCol) // a subtitle such as （2022年度）
	}
	header := 0
	var cols map[int]int
	for row := titleRow + 1; row <= g.rows() && header == 0; row++ {
		if c, ok := tableHeader(g, row); ok {
			header, cols = row, c
			continue
		}
		for col := 1; col <= g.cols(row); col++ {
			field := labelField(g.at(row, col))
			if field == "" {
				// "项目编码：5101…": the label and its value in one cell
				if label, value, ok := cutLabel(g.at(row, col)); ok {
					if _, seen := rp.fields[label]; !seen {
						f := sr.read(row, col, "project."+label, fieldLabel[label])
						f.text, f.raw, f.number, f.date = trim(value), "", false, false
						rp.fields[label], rp.headers[label] = f, g.clean(row, col)
					}
				}
				continue
			}
			if _, seen := rp.fields[field]; seen {
				continue
			}
			rp.headers[field] = g.clean(row, col)
			vr, vc := row, col+1
			for c := col + 1; c <= g.cols(row); c++ {
				if labelField(g.at(row, c)) != "" {
					break
				}
				if g.clean(row, c) != "" {
					vc = c
					break
				}
			}
			rp.fields[field] = sr.read(vr, vc, "project."+field, rp.headers[field])
		}
	}
	if header == 0 {
		return rp
	}
	rp.hasTable, rp.tablePos = true, sr.pos(header, cols[cL1])
	var rows []tableRow
	for row := header + 1; row <= g.rows(); row++ {
		end := false
		for col := 1; col <= g.cols(row); col++ {
			field := labelField(g.at(row, col))
			if field == "" {
				field, _, _ = cutLabel(g.at(row, col))
			}
			if field != "" {
				end = true
				if _, seen := rp.fields[field]; !seen {
					rp.headers[field] = g.clean(row, col)
				}
			}
		}
		if end {
			break
		}
		rows = append(rows, tableRow{row: row, cols: cols})
	}
	rp.targets = targetsOf(sr, rows)
	return rp
}

// tableRow is one row of an indicator table, where its columns are.
type tableRow struct {
	row  int
	cols map[int]int
}

// targetsOf reads indicator rows: a blank 一级/二级指标 (merged or not) is
// the one above; rows with no 三级指标, value or explanation are template
// slots not filled in, skipped with a warning.
func targetsOf(sr *sheetReader, rows []tableRow) []rawTarget {
	g := sr.g
	var out []rawTarget
	var prevL1, prevL2 fact
	// A run of blank rows is one warning, however long (a stray cell at
	// XFD1048576 must not make a million).
	var blankFrom, blankTo int
	var blankAt submission.Pos
	flush := func() {
		switch {
		case blankFrom == 0:
		case blankFrom == blankTo:
			sr.warn(WarnBlankRow, "", blankAt, say("indicator row %d is blank: skipped (an indicator that does not apply says 不适用)", "指标第 %d 行为空：跳过（不适用的指标应填“不适用”）", blankFrom))
		default:
			sr.warn(WarnBlankRow, "", blankAt, say("indicator rows %d–%d (%d rows) are blank: skipped (an indicator that does not apply says 不适用)", "指标第 %d–%d 行（%d 行）为空：跳过（不适用的指标应填“不适用”）", blankFrom, blankTo, blankTo-blankFrom+1))
		}
		blankFrom = 0
	}
	for _, tr := range rows {
		merged := g.mergedAbove(tr.row, tr.cols[cL1]) || g.mergedAbove(tr.row, tr.cols[cL2])
		blank := true
		for key := cL1; key <= cExpl && blank; key++ {
			if col, ok := tr.cols[key]; ok && g.clean(tr.row, col) != "" {
				blank = false
			}
		}
		if blank && !merged {
			if blankFrom == 0 {
				blankFrom, blankAt = tr.row, sr.pos(tr.row, tr.cols[cL1])
			}
			blankTo = tr.row
			continue
		}
		first := sr.pos(tr.row, tr.cols[cL1])
		flush()
		var cells [5]fact
		for key := cL1; key <= cExpl; key++ {
			if col, ok := tr.cols[key]; ok {
				cells[key] = sr.read(tr.row, col, "", tableHeads[key][0])
			}
		}
		l1, l2 := cells[cL1], cells[cL2]
		newL1 := l1.text != "" && l1.text != prevL1.text
		if l1.text == "" {
			l1.text = prevL1.text
		}
		if l2.text == "" && !(newL1 && !g.mergedAbove(tr.row, tr.cols[cL2])) {
			l2.text = prevL2.text
		}
		if l1.text != "" {
			prevL1 = l1
		}
		if l2.text != "" {
			prevL2 = l2
		}
		cells[cL1], cells[cL2] = l1, l2
		if cells[cL3].text == "" && cells[cValue].text == "" && cells[cExpl].text == "" {
			sr.warn(WarnRowNotFilled, "", first, say("indicator row %d (%s/%s) has no 三级指标, value or explanation: not filled in, skipped", "指标第 %d 行（%s/%s）没有三级指标、指标值和指标解释：未填写，跳过", tr.row, l1.text, l2.text))
			continue
		}
		if l1.text == "" || l2.text == "" {
			sr.warn(WarnLevelMissing, "", first, say("indicator row %d has no 一级指标 or 二级指标, and none above to take it from: skipped", "指标第 %d 行没有一级指标或二级指标，上方也无可沿用：跳过", tr.row))
			continue
		}
		out = append(out, rawTarget{cells: cells, row: tr.row})
	}
	flush()
	return out
}
