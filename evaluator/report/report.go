// Package report writes the evaluation report a finance bureau files, in the
// structure of the hand-written reports it replaces: 一、评估对象 (from the
// facts), 二、评估方式和方法 (texts from the ruleset's params.report),
// 三、评估内容与结论 (basic assessment, indicator table and chart, score and
// conclusion), 四、存在的问题与建议 (findings by theme, the adjusted budget)
// and Table 1, the contracts' payments by year. Every figure comes from one
// result document, so the report reconciles by construction; HTML is one
// self-contained printable file, Markdown the same content as text.
package report

import (
	"encoding/json"
	"fmt"
	"slices"
	"strings"
	"unicode"

	"github.com/shopspring/decimal"

	"github.com/budgetcheck/budgetcheck/evaluator/money"
	"github.com/budgetcheck/budgetcheck/evaluator/result"
	"github.com/budgetcheck/budgetcheck/evaluator/ruleset"
	"github.com/budgetcheck/budgetcheck/evaluator/schedule"
	"github.com/budgetcheck/budgetcheck/evaluator/submission"
)

// Texts are the report's texts from the ruleset's data (params.report).
type Texts struct {
	Title  ruleset.Text `json:"title"`
	Issuer ruleset.Text `json:"issuer"`
	Method []struct {
		Heading ruleset.Text `json:"heading"`
		Text    ruleset.Text `json:"text"`
	} `json:"method"`
	Assessment ruleset.Text `json:"assessment"`
	Summary    ruleset.Text `json:"summary"`
	Themes     []struct {
		Title ruleset.Text `json:"title"`
		Codes []string     `json:"codes"`
	} `json:"themes"`
	Other ruleset.Text `json:"other"`
}

// LoadTexts reads params.report from a ruleset's data.
func LoadTexts(data map[string]any) (Texts, error) {
	var t Texts
	params, _ := data["params"].(map[string]any)
	raw, ok := params["report"]
	if !ok {
		return t, fmt.Errorf("the ruleset's data has no params.report (the report's title and texts)")
	}
	bs, err := json.Marshal(raw)
	if err != nil {
		return t, err
	}
	if err := json.Unmarshal(bs, &t); err != nil {
		return t, fmt.Errorf("params.report: %w", err)
	}
	if t.Title.Zh == "" {
		return t, fmt.Errorf("params.report.title is empty")
	}
	return t, nil
}

// Report is everything the templates print, already in words.
type Report struct {
	Lang    string
	Project string
	Title   string
	Issuer  string
	Unit    string
	Rules   string

	Cover       []Field
	Object      []Field
	Subprojects []Subproject

	Method []Section

	Assessment string
	Basic      []Field
	BasicOK    bool
	Groups     []Group
	Earned     string
	Possible   string
	Total      string
	Conclusion string
	Chart      Chart

	Themes  []Theme
	Summary string
	Lines   []Line
	Budget  Line

	Table *schedule.Table
}

// Field is a label and its value.
type Field struct{ Label, Value string }

// Section is a heading and its text.
type Section struct{ Heading, Text string }

// Subproject is one sub-project of 项目概况 with its contracts.
type Subproject struct {
	Name      string
	Kind      string
	Contracts []string
}

// Group is an indicator group (一级指标) and its indicators.
type Group struct {
	Name       string
	Indicators []Indicator
}

// Indicator is one row of the indicator table.
type Indicator struct {
	Title, Max, Grade, Points, Reason string
	Applicable                        bool
}

// Theme is a group of findings of 四、存在的问题与建议.
type Theme struct {
	Title    string
	Findings []Finding
}

// Finding is one finding in words.
type Finding struct {
	Code, Severity, Title, Subject, Where, Message string
	// Class is the severity as a CSS class ("error", "warning", "info", or "" when waived).
	Class       string
	Adjustments []string
	Waived      bool
}

// Line is a row of the adjusted budget table.
type Line struct {
	ID, Name, Requested, Recommended, Change, Basis string
	New                                             bool
}

// Options tune Build.
type Options struct {
	Lang  string
	Texts Texts
}

// Build puts the report together from the submission's facts, its result
// document and its Table 2 (the contracts by year).
func Build(sub *submission.Submission, doc *result.Document, table *schedule.Table, o Options) (*Report, error) {
	lang := o.Lang
	if lang == "" {
		lang = ruleset.LangZh
	}
	l := func(key string) string { return label(key, lang) }
	unit, _ := money.LookupUnit(sub.Project.Unit)
	amount := func(d decimal.Decimal) string {
		if lang == ruleset.LangEn {
			return d.String() + " " + unit.English
		}
		return d.String() + unit.Name
	}
	vars := map[string]string{
		"fiscal_year": fmt.Sprint(doc.Project.FiscalYear),
		"project":     doc.Project.Name,
		"budget_unit": doc.Project.BudgetUnit,
		"region":      sub.Project.Region,
		"lag_days":    "",
	}
	if doc.Schedule != nil {
		vars["lag_days"] = fmt.Sprint(doc.Schedule.LagDays)
	}
	fill := func(t ruleset.Text, extra map[string]string) string {
		s := t.In(lang)
		for _, m := range []map[string]string{extra, vars} {
			for k, v := range m {
				s = strings.ReplaceAll(s, "{"+k+"}", v)
			}
		}
		return s
	}
	r := &Report{
		Lang:    lang,
		Project: doc.Project.Name,
		Title:   fill(o.Texts.Title, nil),
		Issuer:  fill(o.Texts.Issuer, nil),
		Unit:    unit.Name,
		Rules:   fmt.Sprintf("%s %s", doc.Ruleset.Name, doc.Ruleset.Version),
		Table:   table,
	}
	if lang == ruleset.LangEn {
		r.Unit = unit.English
	}

	// 一、评估对象
	p := sub.Project
	department := p.Department
	if department == "" {
		department = p.BudgetUnit
	}
	requested := fmt.Sprintf(l("requested_total"), amount(doc.Budget.Requested))
	if p.FiscalFunds != nil {
		requested += fmt.Sprintf(l("fiscal_funds"), amount(*p.FiscalFunds))
	}
	r.Object = []Field{
		{l("project_name"), p.Name},
		{l("budget_unit"), p.BudgetUnit},
		{l("department"), department},
		{l("attribute"), l("attribute_" + p.Attribute)},
		{l("goal"), tidy(p.AnnualGoal)},
		{l("requested"), requested},
	}
	r.Cover = []Field{{l("budget_unit"), p.BudgetUnit}, {l("fiscal_year"), vars["fiscal_year"]}}
	for _, sp := range sub.Subprojects {
		s := Subproject{Name: sp.Name, Kind: l("kind_" + sp.Kind)}
		for _, c := range sub.Contracts {
			if c.Subproject != sp.ID {
				continue
			}
			text := c.Name
			var facts []string
			if c.Supplier != "" {
				facts = append(facts, c.Supplier)
			}
			if c.Signed != nil {
				facts = append(facts, fmt.Sprintf(l("signed_on"), c.Signed.String()))
			} else {
				facts = append(facts, l("status_"+c.Status))
			}
			if c.Total != nil {
				facts = append(facts, fmt.Sprintf(l("contract_total"), amount(*c.Total)))
			}
			if c.Cycle != nil {
				facts = append(facts, fmt.Sprintf(l("cycle_terms"), amount(c.Cycle.AnnualFee), c.Cycle.CyclesPerYear))
			}
			s.Contracts = append(s.Contracts, text+l("lp")+strings.Join(facts, l("sep"))+l("rp"))
		}
		r.Subprojects = append(r.Subprojects, s)
	}

	// 二、评估方式和方法
	for _, m := range o.Texts.Method {
		r.Method = append(r.Method, Section{Heading: fill(m.Heading, nil), Text: strings.TrimSpace(fill(m.Text, nil))})
	}

	// 三、评估内容与结论
	basic := l("passed")
	if !doc.Basic.Passed {
		basic = l("failed")
	}
	r.BasicOK = doc.Basic.Passed
	applicable := 0
	for _, item := range doc.Basic.Items {
		v := l("passed")
		if !item.Passed {
			v = l("failed")
		}
		r.Basic = append(r.Basic, Field{item.Title, v})
	}
	for _, ind := range doc.Indicators {
		if len(r.Groups) == 0 || r.Groups[len(r.Groups)-1].Name != ind.Group {
			r.Groups = append(r.Groups, Group{Name: ind.Group})
		}
		row := Indicator{Title: ind.Title, Max: ind.Max.String(), Applicable: ind.Applicable, Grade: l("na"), Points: "—"}
		if ind.Applicable && ind.Score != nil {
			applicable++
			row.Grade, row.Points, row.Reason = ind.Grade, ind.Score.String(), ind.Reason
		}
		g := &r.Groups[len(r.Groups)-1]
		g.Indicators = append(g.Indicators, row)
	}
	r.Earned, r.Possible, r.Total = doc.Score.Earned.String(), doc.Score.Possible.String(), doc.Score.Total.StringFixed(2)
	r.Conclusion = doc.Conclusion.Text
	r.Assessment = fill(o.Texts.Assessment, map[string]string{
		"basic": basic, "applicable": fmt.Sprint(applicable), "score": r.Total, "conclusion": r.Conclusion,
	})
	r.Chart = chart(doc, lang)

	// 四、存在的问题与建议
	lineNames := map[string]string{}
	for _, line := range doc.Budget.Lines {
		lineNames[line.ID] = line.Name
	}
	theme := map[string]int{}
	for i, t := range o.Texts.Themes {
		r.Themes = append(r.Themes, Theme{Title: fill(t.Title, nil)})
		for _, c := range t.Codes {
			if _, dup := theme[c]; !dup {
				theme[c] = i
			}
		}
	}
	other := -1
	basis := map[string][]string{}
	for _, f := range doc.Findings {
		i, ok := theme[f.Code]
		if !ok {
			if other < 0 {
				other = len(r.Themes)
				r.Themes = append(r.Themes, Theme{Title: fill(o.Texts.Other, nil)})
			}
			i = other
		}
		out := Finding{Code: f.Code, Severity: l(f.Severity), Title: f.Title, Subject: f.Subject, Message: f.Message, Waived: f.Waived != nil}
		out.Class = f.Severity
		if out.Waived {
			out.Severity, out.Class = l("waived"), ""
		}
		if f.Location.Line > 0 {
			out.Where = fmt.Sprintf("%s:%d", baseName(f.Location.File), f.Location.Line)
		}
		for _, a := range f.Adjustments {
			name := lineNames[a.Line]
			if name == "" {
				name = a.Line
			}
			out.Adjustments = append(out.Adjustments, fmt.Sprintf(l("adjust"), name, signed(a.Amount), r.Unit))
			if !slices.Contains(basis[a.Line], f.Title) {
				basis[a.Line] = append(basis[a.Line], f.Title)
			}
		}
		r.Themes[i].Findings = append(r.Themes[i].Findings, out)
	}
	kept := r.Themes[:0]
	for _, t := range r.Themes {
		if len(t.Findings) > 0 {
			kept = append(kept, t)
		}
	}
	r.Themes = kept
	b := doc.Budget
	r.Summary = fill(o.Texts.Summary, map[string]string{
		"conclusion": r.Conclusion, "recommended": amount(b.Recommended), "requested": amount(b.Requested), "change": signed(b.Change) + r.Unit,
	})
	if lang == ruleset.LangEn {
		r.Summary = strings.ReplaceAll(r.Summary, signed(b.Change)+r.Unit, signed(b.Change)+" "+r.Unit)
	}
	for _, line := range b.Lines {
		id := line.ID
		if line.New && line.Contract != "" {
			// a line the policies add is named by its contract
			id = line.Contract
		}
		r.Lines = append(r.Lines, Line{
			ID: id, Name: line.Name, New: line.New,
			Requested: line.Requested.String(), Recommended: line.Recommended.String(), Change: signed(line.Change),
			Basis: strings.Join(basis[line.ID], l("list_sep")),
		})
	}
	r.Budget = Line{Name: l("total"), Requested: b.Requested.String(), Recommended: b.Recommended.String(), Change: signed(b.Change)}
	if !b.RequestedLines.Equal(b.Requested) && len(b.Lines) > 0 && !b.Lines[0].New {
		// the declared total stands in the row; the lines add up to another figure
		r.Budget.Name = fmt.Sprintf(l("total_declared"), b.RequestedLines)
	}
	return r, nil
}

// tidy drops the spaces a folded YAML line leaves between Chinese
// characters ("设计。 以标准化"), keeping those between Latin words.
func tidy(s string) string {
	rs := []rune(strings.TrimSpace(s))
	var b strings.Builder
	for i, r := range rs {
		if r == ' ' && i > 0 && i < len(rs)-1 && (rs[i-1] > unicode.MaxLatin1 || rs[i+1] > unicode.MaxLatin1) {
			continue
		}
		b.WriteRune(r)
	}
	return b.String()
}

// signed writes a change with its sign: "+4.816", "-20", "0".
func signed(d decimal.Decimal) string {
	if d.IsPositive() {
		return "+" + d.String()
	}
	return d.String()
}

func baseName(path string) string {
	if i := strings.LastIndexAny(path, `/\`); i >= 0 {
		return path[i+1:]
	}
	return path
}

// Chinese numerals for the section numbers (一、二、…).
var numerals = []string{"一", "二", "三", "四", "五", "六", "七", "八", "九", "十", "十一", "十二", "十三", "十四", "十五"}

// Numeral returns the Chinese numeral of n (1-based), or n in digits.
func Numeral(n int) string {
	if n >= 1 && n <= len(numerals) {
		return numerals[n-1]
	}
	return fmt.Sprint(n)
}
