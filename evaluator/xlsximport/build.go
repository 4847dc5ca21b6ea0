package xlsximport

import (
	"errors"
	"fmt"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"

	"github.com/shopspring/decimal"

	"github.com/budgetcheck/budgetcheck/evaluator/derive"
	"github.com/budgetcheck/budgetcheck/evaluator/money"
	"github.com/budgetcheck/budgetcheck/evaluator/submission"
)

// Years bounds as the submission package has them.
const (
	minYear = 1990
	maxYear = 2100
)

var (
	yearRe        = regexp.MustCompile(`(?:19|20)[0-9]{2}`)
	docTitleRe    = regexp.MustCompile(`《([^《》]+)》`)
	docNumberRe   = regexp.MustCompile(`^\s*[（(]\s*([^（）()《》]{1,40}?号)\s*[）)]`)
	scientificRe  = regexp.MustCompile(`[0-9][.]?[0-9]*[Ee][+-]?[0-9]+`)
	digitsRe      = regexp.MustCompile(`[0-9]`)
	safeNameChars = regexp.MustCompile(`[^\p{L}\p{N}_.-]+`)
)

// builder turns one raw project into a submission.
type builder struct {
	r        *reader
	rp       *rawProject
	sub      *submission.Submission
	problems submission.Problems
}

func (b *builder) at(path string, p submission.Pos) { b.sub.Positions[path] = p }

func (b *builder) warn(code, path string, p submission.Pos, m msg) {
	b.rp.sr.warn(code, path, p, m)
}

func (b *builder) fail(code, path string, p submission.Pos, m msg) {
	b.problems = append(b.problems, m.problem(code, path, p))
}

// field returns a field's fact; a field that is absent stands at the
// project's position.
func (b *builder) field(key string) fact {
	if f, ok := b.rp.fields[key]; ok {
		return f
	}
	return fact{pos: b.rp.projectPos}
}

// text sets a text fact's position and returns it.
func (b *builder) text(key, path string) string {
	f := b.field(key)
	if f.present {
		b.at(path, f.pos)
	}
	return f.text
}

func (r *reader) build(rp *rawProject) Project {
	sub := &submission.Submission{Schema: submission.SchemaV1, File: r.file, Positions: map[string]submission.Pos{}}
	b := &builder{r: r, rp: rp, sub: sub}
	p := &sub.Project
	b.at("project", rp.projectPos)
	b.at("schema", rp.projectPos)

	p.Code = b.code()
	p.Name = b.text(fName, "project.name")
	if p.Name == "" {
		b.fail(submission.CodeMissing, "project.name", b.field(fName).pos, say("项目名称 is empty", "项目名称为空"))
	}
	p.Department = b.text(fDepartment, "project.department")
	p.BudgetUnit = b.text(fUnit, "project.budget_unit")
	if p.BudgetUnit == "" && p.Department != "" {
		p.BudgetUnit = p.Department
		b.at("project.budget_unit", b.field(fDepartment).pos)
		b.warn(WarnBudgetUnit, "project.budget_unit", b.field(fUnit).pos, say("申请单位 is empty: the 一级预算单位 %q is taken as the budget unit", "申请单位为空：以一级预算单位“%s”作为预算单位", p.Department))
	} else if p.BudgetUnit == "" {
		b.fail(submission.CodeMissing, "project.budget_unit", b.field(fUnit).pos, say("申请单位 and 一级预算单位 are both empty", "申请单位和一级预算单位均为空"))
	}
	p.Attribute = b.attribute()
	p.FiscalYear = b.fiscalYear()
	b.amounts()
	p.PolicyBasis = b.policyBasis()
	p.CostBasisText = b.text(fCostBasis, "project.cost_basis_text")
	p.AnnualGoal = b.text(fAnnualGoal, "project.annual_goal")
	p.LongTermGoal = b.text(fLongTerm, "project.long_term_goal")
	b.targets()

	warnings := append(submission.Problems{}, rp.sr.warnings...)
	if rp.indicators != nil {
		warnings = append(warnings, rp.indicators.warnings...)
	}
	warnings.Sort()
	b.problems.Sort()
	out := Project{Sheet: rp.sr.g.sheet, Row: rp.row, Warnings: warnings, Problems: b.problems, at: rp.projectPos, ProjectName: p.Name, ProjectCode: p.Code}
	if len(b.problems) == 0 {
		out.Submission = sub
	}
	return out
}

// code reads 项目编码. A code stored as a number shows in scientific notation
// or has more digits than Excel keeps (15): its last digits are lost. The
// text is kept as shown, with a warning.
func (b *builder) code() string {
	f := b.field(fCode)
	if !f.present {
		return ""
	}
	b.at("project.code", f.pos)
	if f.date {
		b.warn(WarnCodeDate, "project.code", f.pos, say("项目编码 is a date cell (shown as %s): read as the number it stores, %s. Store codes as text",
			"项目编码所在单元格为日期格式（显示为 %s）：按其存储的数字 %s 读取；项目编码应以文本存储", f.text, f.raw))
		return f.raw
	}
	if f.number && (scientificRe.MatchString(f.text) || scientificRe.MatchString(f.raw) || len(digitsRe.FindAllString(f.raw, -1)) > 15) {
		row, zhRow := rowNote(b.rp.row)
		b.warn(WarnCodeDigitsLost, "project.code", f.pos,
			say("项目编码 is stored as a number (%s): Excel keeps only 15 significant digits, so its last digits are lost; the code is kept as shown and the project is told apart by its sheet %q%s. Store codes as text",
				"项目编码以数字存储（%s）：Excel 只保留 15 位有效数字，末几位已丢失；编码按显示读取，项目以工作表“%s”%s区分。项目编码应以文本存储",
				f.text, b.rp.sr.g.sheet, row).zhArgs(f.text, b.rp.sr.g.sheet, zhRow))
	}
	return f.text
}

func rowNote(row int) (en, zh string) {
	if row == 0 {
		return "", ""
	}
	return fmt.Sprintf(" and row %d", row), fmt.Sprintf("及第 %d 行", row)
}

// attribute reads 是否新增项目, else 项目类型.
func (b *builder) attribute() string {
	if f := b.field(fNew); f.text != "" {
		b.at("project.attribute", f.pos)
		switch f.text {
		case "是", "新增":
			return "new"
		case "否":
			return "continuing"
		}
		b.warn(WarnAttribute, "project.attribute", f.pos, say("是否新增项目 %q is neither 是 nor 否: left open", "是否新增项目“%s”既不是“是”也不是“否”：不作判断", f.text))
		return ""
	}
	if f := b.field(fType); f.text != "" {
		b.at("project.attribute", f.pos)
		switch {
		case strings.Contains(f.text, "新增"):
			return "new"
		case strings.Contains(f.text, "延续"), strings.Contains(f.text, "经常"):
			return "continuing"
		}
	}
	return ""
}

// fiscalYear is Options.FiscalYear, else a year in the form's title, else
// the first year of 实施期限 when it holds dates (2023-01-01至2023-12-31,
// 2023年; not a count of years such as 3), else a year in the file name,
// else one in the sheet name; each inference after the title's is a warning.
func (b *builder) fiscalYear() int {
	term := b.field(fTerm)
	at := b.rp.projectPos
	if term.present {
		at = term.pos
	}
	b.at("project.fiscal_year", at)
	if y := b.r.opts.FiscalYear; y != 0 {
		if y < minYear || y > maxYear {
			b.fail(submission.CodeInvalidValue, "project.fiscal_year", at, say("fiscal year %d is out of range %d–%d", "预算年度 %d 超出 %d–%d 的范围", y, minYear, maxYear))
		}
		return y
	}
	if y := years(b.rp.title); len(y) > 0 {
		b.at("project.fiscal_year", b.rp.projectPos)
		return y[0]
	}
	if y := years(term.text); len(y) > 0 {
		if len(y) > 1 {
			b.warn(WarnFiscalYear, "project.fiscal_year", term.pos, say("实施期限 %q spans %d–%d: the budget is taken to be for %d (use --fiscal-year to say otherwise)",
				"实施期限“%s”跨 %d–%d 年：预算年度取 %d（可用 --fiscal-year 指定）", term.text, y[0], y[len(y)-1], y[0]))
		}
		return y[0]
	}
	name := filepath.Base(b.r.file)
	if y := years(name); len(y) == 1 {
		b.warn(WarnFiscalYear, "project.fiscal_year", at, say("no year in the title or 实施期限: the fiscal year %d is taken from the file name %q (use --fiscal-year to say otherwise)",
			"标题和实施期限中没有年份：预算年度 %d 取自文件名“%s”（可用 --fiscal-year 指定）", y[0], name))
		return y[0]
	}
	if y := years(b.rp.sr.g.sheet); len(y) == 1 {
		b.warn(WarnFiscalYear, "project.fiscal_year", at, say("no year in the title, 实施期限 or file name: the fiscal year %d is taken from the sheet name %q (use --fiscal-year to say otherwise)",
			"标题、实施期限和文件名中没有年份：预算年度 %d 取自工作表名“%s”（可用 --fiscal-year 指定）", y[0], b.rp.sr.g.sheet))
		return y[0]
	}
	b.fail(CodeFiscalYear, "project.fiscal_year", at, say("the fiscal year is unknown: no year in the title, 实施期限, file name or sheet name; give it with --fiscal-year (or fiscal-year: in .budgetcheck.yaml)",
		"无法确定预算年度：标题、实施期限、文件名和工作表名中都没有年份；请用 --fiscal-year 指定（或在 .budgetcheck.yaml 中写 fiscal-year:）"))
	return 0
}

// years returns the distinct years written in s, in order.
func years(s string) []int {
	var out []int
	for _, m := range yearRe.FindAllString(s, -1) {
		y, _ := strconv.Atoi(m)
		if len(out) == 0 || out[len(out)-1] != y {
			out = append(out, y)
		}
	}
	return out
}

// unitOf reads the unit a label or header states: 万元 or 元; named is
// false when it states none (万元 is then the form's unit).
func unitOf(header string) (u money.Unit, named bool) {
	switch {
	case strings.Contains(header, "万元"):
		return money.WanYuan, true
	case strings.Contains(header, "元"):
		return money.Yuan, true
	}
	return money.WanYuan, false
}

// amounts reads 本年度项目金额 (the request) and checks it against 项目总金额.
func (b *builder) amounts() {
	p := &b.sub.Project
	yf := b.field(fYear)
	unit, named := unitOf(b.rp.headers[fYear])
	b.at("project.requested_total", yf.pos)
	b.at("project.unit", yf.pos)
	year, ok := b.amount(yf, unit, "project.requested_total", "本年度项目金额")
	if !ok {
		p.Unit = unit.Name
		return
	}
	if !named {
		unit = b.decideUnit(yf, year)
	}
	p.Unit, p.RequestedTotal = unit.Name, year
	tf := b.field(fTotal)
	if tf.text == "" {
		return
	}
	tunit, named := unitOf(b.rp.headers[fTotal])
	if !named {
		tunit = unit // the export names no unit anywhere: the same as the year's
	}
	total, ok := b.amount(tf, tunit, "", "项目总金额")
	if !ok {
		return
	}
	yFen, err1 := money.ToFen(year, unit)
	tFen, err2 := money.ToFen(total, tunit)
	if err1 == nil && err2 == nil && tFen < yFen {
		b.warn(WarnTotalBelowYear, "project.requested_total", tf.pos, say("项目总金额 %s%s is less than 本年度项目金额 %s%s", "项目总金额 %s%s 小于本年度项目金额 %s%s", total, tunit.Name, year, unit.Name))
	}
}

// decideUnit chooses the unit of a request whose header names none, from
// the amounts 测算依据 writes (19.38万, 1,200元 …; each, or their sum): the
// unit in which the request equals one of them. Without such evidence it is
// 万元, the form's unit; either way a warning says what was decided and why,
// and the ruleset's COSTING_UNIT_MISMATCH still weighs the result.
func (b *builder) decideUnit(f fact, amount decimal.Decimal) money.Unit {
	stated := derive.TextAmounts(b.field(fCostBasis).text)
	matches := func(u money.Unit) (string, bool) {
		fen, err := money.ToFen(amount, u)
		if err != nil {
			return "", false
		}
		var sum int64
		for _, a := range stated {
			if abs(a.Fen-fen) <= 100 {
				return a.Text, true
			}
			sum += a.Fen
		}
		return "the sum", len(stated) > 1 && abs(sum-fen) <= 100
	}
	wan, asWan := matches(money.WanYuan)
	yuan, asYuan := matches(money.Yuan)
	switch {
	case asYuan && !asWan:
		if _, err := money.ParseIn(amount.String(), money.Yuan); err == nil {
			b.warn(WarnUnit, "project.unit", f.pos, say("no unit over %s: read as 元, since 测算依据 states %s",
				"%s 未注明单位：按“元”读取，因测算依据写明 %s", "本年度项目金额", yuan))
			return money.Yuan
		}
	case asWan:
		b.warn(WarnUnit, "project.unit", f.pos, say("no unit over %s: read as 万元, since 测算依据 states %s",
			"%s 未注明单位：按“万元”读取，因测算依据写明 %s", "本年度项目金额", wan))
		return money.WanYuan
	}
	b.warn(WarnUnit, "project.unit", f.pos, say("no unit over %s and no amount in 测算依据 to tell: read as 万元, the form's unit",
		"%s 未注明单位，测算依据中也没有可据以判断的金额：按申报表的单位“万元”读取", "本年度项目金额"))
	return money.WanYuan
}

// whyZh says in Chinese why money.Parse refused an amount.
func whyZh(err error) string {
	for _, e := range []struct {
		err error
		zh  string
	}{
		{money.ErrEmpty, "金额为空"},
		{money.ErrExponent, "金额不接受科学计数法，请写成普通数字"},
		{money.ErrNotFinite, "不是有限的数"},
		{money.ErrSeparator, "不接受千分位分隔符"},
		{money.ErrUnitSuffix, "金额后不要写单位"},
		{money.ErrUnitMismatch, "金额单位与申报单位不一致"},
		{money.ErrNegative, "金额应为正数"},
		{money.ErrPrecision, "小数位数过多"},
		{money.ErrRange, "金额过大"},
		{money.ErrSyntax, "不是数字"},
	} {
		if errors.Is(err, e.err) {
			return e.zh
		}
	}
	switch err.Error() {
	case "negative":
		return "金额为负数"
	case "a date cell":
		return "单元格为日期格式"
	}
	return err.Error()
}

func abs(n int64) int64 {
	if n < 0 {
		return -n
	}
	return n
}

// amount reads an amount cell. A number cell is read by the double it
// stores, written in its shortest exact form (1.46245E7 is 14624500), never
// by the text shown, which may carry separators or rounding; text typed by a
// person is read as written, and an exponent there is an error.
func (b *builder) amount(f fact, unit money.Unit, path, label string) (decimal.Decimal, bool) {
	if f.text == "" {
		switch {
		case f.formula && path != "":
			b.fail(WarnFormulaNoValue, path, f.pos, say("%s is a formula whose result the workbook did not store: open and save it in Excel or WPS",
				"%s是公式，但工作簿没有保存其计算结果：请在 Excel 或 WPS 中打开并保存后再导入", label))
		case path != "":
			b.fail(submission.CodeMissing, path, f.pos, say("%s is empty", "%s为空", label))
		}
		return decimal.Decimal{}, false
	}
	bad := func(err error) (decimal.Decimal, bool) {
		m := say("%s %q is not an amount in %s: %v", "%s“%s”不是以%s计的金额：%s", label, f.text, unit.Name, err).zhArgs(label, f.text, unit.Name, whyZh(err))
		if path == "" {
			b.warn(submission.CodeInvalidAmount, path, f.pos, m)
		} else {
			b.fail(submission.CodeInvalidAmount, path, f.pos, m)
		}
		return decimal.Decimal{}, false
	}
	if f.date {
		return bad(errors.New("a date cell"))
	}
	text := f.text
	if f.number && f.raw != "" {
		v, err := strconv.ParseFloat(f.raw, 64)
		if err != nil {
			return bad(err)
		}
		text = strconv.FormatFloat(v, 'f', -1, 64)
	}
	d, err := money.ParseIn(text, unit)
	if errors.Is(err, money.ErrPrecision) && f.number {
		if shown, err2 := money.ParseIn(strings.ReplaceAll(f.text, ",", ""), unit); err2 == nil {
			b.warn(WarnAmountPrecision, path, f.pos, say("%s is stored as %s: read as displayed, %s", "%s存储为 %s：按显示值 %s 读取", label, f.raw, f.text))
			return shown, true
		}
	}
	if err != nil && !f.number {
		// A text cell: "1,234.5" or "51.71万元" under a 万元 heading.
		cleaned := strings.TrimSpace(strings.TrimSuffix(strings.ReplaceAll(text, ",", ""), unit.Name))
		if d2, err2 := money.ParseIn(cleaned, unit); err2 == nil && cleaned != text {
			b.warn(WarnAmountText, path, f.pos, say("%s is the text %q: read as %s %s", "%s是文本“%s”：按 %s %s 读取", label, f.text, d2, unit.Name))
			d, err = d2, nil
		}
	}
	if err == nil && d.IsNegative() {
		err = errors.New("negative")
	}
	if err != nil {
		return bad(err)
	}
	return d, true
}

// policyBasis reads 政策依据: each document cited in 《…》 with the number in
// brackets after it; a text citing none is one document.
func (b *builder) policyBasis() []submission.Document {
	f := b.field(fPolicyBasis)
	if f.text == "" {
		return nil
	}
	b.at("project.policy_basis", f.pos)
	var docs []submission.Document
	for _, m := range docTitleRe.FindAllStringSubmatchIndex(f.text, -1) {
		doc := submission.Document{Title: f.text[m[2]:m[3]]}
		if n := docNumberRe.FindStringSubmatch(f.text[m[1]:]); n != nil {
			doc.Number = n[1]
		}
		docs = append(docs, doc)
	}
	if len(docs) == 0 {
		docs = []submission.Document{{Title: f.text}}
	}
	for i := range docs {
		path := fmt.Sprintf("project.policy_basis[%d]", i)
		b.at(path, f.pos)
		b.at(path+".title", f.pos)
		if docs[i].Number != "" {
			b.at(path+".number", f.pos)
		}
	}
	return docs
}

// targets turns the indicator rows into targets. A row with a value but no
// 三级指标 takes its 二级指标 as its name.
func (b *builder) targets() {
	rp := b.rp
	if !rp.hasTable {
		b.warn(WarnNoTargets, "targets", rp.projectPos, say("no indicator table (一级指标 | 二级指标 | 三级指标 | 目标值 | 指标解释) was found", "没有找到指标表（一级指标 | 二级指标 | 三级指标 | 目标值 | 指标解释）"))
		return
	}
	b.at("targets", rp.tablePos)
	for i, rt := range rp.targets {
		path := fmt.Sprintf("targets[%d]", i)
		c := rt.cells
		t := submission.Target{Level1: c[cL1].text, Level2: c[cL2].text, Name: c[cL3].text, Value: c[cValue].text, Explanation: c[cExpl].text}
		if t.Name == "" {
			t.Name = t.Level2
			b.warn(WarnNameBlank, path+".name", c[cL3].pos, say("indicator row %d has a value but no 三级指标: named after its 二级指标 %q", "指标第 %d 行有指标值但没有三级指标：以二级指标“%s”命名", rt.row, t.Level2))
		}
		b.at(path, c[cL1].pos)
		for key, field := range map[int]string{cL1: "level1", cL2: "level2", cL3: "name", cValue: "value", cExpl: "explanation"} {
			if c[key].present {
				b.at(path+"."+field, c[key].pos)
			}
		}
		b.sub.Targets = append(b.sub.Targets, t)
	}
}

// distinguish names each project: its 项目编码 when intact and unique, else
// its sheet (and row); it warns of codes used twice.
func (r *reader) distinguish(wb *Workbook) {
	seen := map[string][]int{}
	used := map[string]bool{}
	for i, p := range wb.Projects {
		if p.Submission != nil && p.Submission.Project.Code != "" {
			seen[p.Submission.Project.Code] = append(seen[p.Submission.Project.Code], i)
		}
	}
	for i := range wb.Projects {
		p := &wb.Projects[i]
		damaged := false
		for _, w := range p.Warnings {
			damaged = damaged || w.Code == WarnCodeDigitsLost
		}
		code := ""
		if p.Submission != nil {
			code = p.Submission.Project.Code
		}
		if others := seen[code]; len(others) > 1 && !damaged && wb.Layout == LayoutForm {
			var sheets []string
			for _, j := range others {
				if j != i {
					sheets = append(sheets, wb.Projects[j].Sheet)
				}
			}
			p.Warnings = append(p.Warnings, say("项目编码 %q is also the code of sheet %s", "项目编码“%s”也是工作表 %s 的编码", code, strings.Join(sheets, ", ")).problem(WarnDuplicateCode, "project.code", p.Submission.Pos("project.code")))
		}
		switch {
		case code != "" && !damaged && len(seen[code]) == 1:
			p.name = code
		case p.Row > 0:
			p.name = fmt.Sprintf("%s-%d", p.Sheet, p.Row)
		default:
			p.name = p.Sheet
		}
		p.name = strings.Trim(safeNameChars.ReplaceAllString(p.name, "_"), "_.")
		if p.name == "" {
			p.name = fmt.Sprintf("project-%d", i+1)
		}
		for base, n := p.name, 2; used[p.name]; n++ {
			p.name = fmt.Sprintf("%s-%d", base, n)
		}
		used[p.name] = true
	}
}
