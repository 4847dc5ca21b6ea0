package report

import (
	_ "embed"
	"fmt"
	"html/template"
	"io"

	"github.com/budgetcheck/budgetcheck/evaluator/ruleset"
	"github.com/budgetcheck/budgetcheck/evaluator/schedule"
)

//go:embed report.html.tmpl
var htmlSource string

//go:embed report.css
var css string

// htmlTemplate is parsed once; l, sec and sub take the language from the
// data at execution through the report's own methods.
var htmlTemplate = template.Must(template.New("report").Funcs(template.FuncMap{
	"l":   func(string) string { return "" },
	"sec": func(int) string { return "" },
	"sub": func(int) string { return "" },
	"inc": func(i int) int { return i + 1 },
}).Parse(htmlSource))

// htmlData is what the template sees.
type htmlData struct {
	*Report
	CSS template.CSS
	T1  *t1
}

// t1 is Table 2 of the report (Table 1 of the seed), laid out for HTML.
type t1 struct {
	Caption, Unit, Payments, Legend, Reconciliation string
	Head, Tail                                      []t1Cell
	Years                                           []schedule.Column
	Rows                                            []t1Row
	Notes                                           []string
}

type t1Row struct {
	Class string
	Cells []t1Cell
}

// t1Cell is a cell; Span is its rowspan (0: covered by the cell above),
// Cols its colspan.
type t1Cell struct {
	Text  string
	Class string
	Num   bool
	Span  int
	Cols  int
}

// HTML writes the report as one self-contained HTML file: inline CSS and
// SVG, no scripts, nothing fetched.
func (r *Report) HTML(w io.Writer) error {
	lang := r.Lang
	t, err := htmlTemplate.Clone()
	if err != nil {
		return err
	}
	t.Funcs(template.FuncMap{
		"l":   func(key string) string { return label(key, lang) },
		"sec": func(n int) string { return section(n, lang) },
		"sub": func(i int) string { return subsection(i, lang) },
	})
	return t.Execute(w, htmlData{Report: r, CSS: template.CSS(css), T1: r.t1()})
}

func section(n int, lang string) string {
	if lang == ruleset.LangEn {
		return fmt.Sprintf("%d. ", n)
	}
	return Numeral(n) + "、"
}

func subsection(i int, lang string) string {
	if lang == ruleset.LangEn {
		return fmt.Sprintf("(%d) ", i+1)
	}
	return "（" + Numeral(i+1) + "）"
}

func (r *Report) t1() *t1 {
	st := r.Table
	if st == nil {
		return nil
	}
	lang := r.Lang
	sl := func(key string) string { return schedule.Label(key, lang) }
	out := &t1{
		Caption:        fmt.Sprintf(label("schedule_table", lang), r.Project),
		Unit:           fmt.Sprintf(label("unit", lang), r.Unit),
		Payments:       sl("payments"),
		Legend:         sl("legend"),
		Reconciliation: st.Reconciliation(lang),
		Years:          st.Columns,
	}
	for _, k := range []string{"no", "subproject", "name", "signed", "supplier", "total", "term"} {
		out.Head = append(out.Head, t1Cell{Text: sl(k), Num: k == "total"})
	}
	out.Tail = []t1Cell{{Text: sl("sum")}, {Text: sl("check")}}
	fy := st.FiscalColumn()
	for i, row := range st.Rows {
		span := 1
		if i > 0 && st.Rows[i-1].Subproject == row.Subproject {
			span = 0
		} else {
			for j := i + 1; j < len(st.Rows) && st.Rows[j].Subproject == row.Subproject; j++ {
				span++
			}
		}
		cells := []t1Cell{
			{Text: row.No, Class: "c", Span: 1},
			{Text: row.Subproject, Span: span},
			{Text: row.Name, Span: 1},
			{Text: row.Signed, Class: "c", Span: 1},
			{Text: row.Supplier, Span: 1},
			{Text: row.TotalText(), Class: "num", Span: 1},
			{Text: row.Term, Class: "c", Span: 1},
		}
		for j, c := range row.Cells {
			class := "num"
			if j == fy {
				class += " fy"
			}
			if c.Paid {
				class += " paid"
			}
			cells = append(cells, t1Cell{Text: c.Marked(), Class: class, Span: 1})
		}
		check := "c"
		if row.Discrepancy != nil || row.NoTotal {
			check += " bad"
		}
		cells = append(cells, t1Cell{Text: row.Sum.String(), Class: "num", Span: 1}, t1Cell{Text: row.Check(lang), Class: check, Span: 1})
		out.Rows = append(out.Rows, t1Row{Cells: cells})
	}
	total := []t1Cell{{Text: schedule.Label("grand_total", lang), Class: "c", Span: 1, Cols: 5}, {Text: st.Total.String(), Class: "num", Span: 1}, {Span: 1}}
	for j, c := range st.Totals {
		class := "num"
		if j == fy {
			class += " fy"
		}
		text := ""
		if c.Set {
			text = c.Amount.String()
		}
		total = append(total, t1Cell{Text: text, Class: class, Span: 1})
	}
	check := schedule.Label("ok", lang)
	if st.Discrepancies > 0 {
		check = fmt.Sprintf(schedule.Label("diff", lang), st.Sum.Sub(st.Total).String())
	}
	total = append(total, t1Cell{Text: st.Sum.String(), Class: "num", Span: 1}, t1Cell{Text: check, Class: "c", Span: 1})
	out.Rows = append(out.Rows, t1Row{Class: "total", Cells: total})
	for _, n := range st.Notes {
		out.Notes = append(out.Notes, fmt.Sprintf("(%s) %s", n.Row, n.Text))
	}
	return out
}
