package impact

import (
	"fmt"
	"io"

	"github.com/shopspring/decimal"
	"github.com/xuri/excelize/v2"

	"github.com/budgetcheck/budgetcheck/evaluator/summary"
)

// XLSX writes a workbook: 变化项目, one row per changed project (streamed, so
// a large change stays cheap), and 汇总 with the counts, the outcome matrix,
// the score deltas, the budget totals and the findings by code.
type XLSX struct{ Lang string }

func (x XLSX) l(key string) string { return label(key, x.Lang) }

func (x XLSX) Write(w io.Writer, r *Report) error {
	f := excelize.NewFile()
	defer f.Close()
	moneyFmt, scoreFmt := summary.MoneyFormat, "0.00"
	header, err := f.NewStyle(&excelize.Style{Font: &excelize.Font{Bold: true}, Fill: excelize.Fill{Type: "pattern", Pattern: 1, Color: []string{"DDEBF7"}}, Alignment: &excelize.Alignment{Vertical: "center", WrapText: true}})
	if err != nil {
		return err
	}
	money, err := f.NewStyle(&excelize.Style{CustomNumFmt: &moneyFmt})
	if err != nil {
		return err
	}
	score, err := f.NewStyle(&excelize.Style{CustomNumFmt: &scoreFmt})
	if err != nil {
		return err
	}
	wrap, err := f.NewStyle(&excelize.Style{Alignment: &excelize.Alignment{WrapText: true, Vertical: "top"}})
	if err != nil {
		return err
	}

	projects := x.l("sheet_projects")
	if err := f.SetSheetName("Sheet1", projects); err != nil {
		return err
	}
	sw, err := f.NewStreamWriter(projects)
	if err != nil {
		return err
	}
	if err := sw.SetPanes(&excelize.Panes{Freeze: true, YSplit: 1, TopLeftCell: "A2", ActivePane: "bottomLeft"}); err != nil {
		return err
	}
	for i, wd := range []float64{36, 6, 16, 36, 16, 16, 10, 10, 10, 14, 14, 14, 40, 40, 40} {
		if err := sw.SetColWidth(i+1, i+1, wd); err != nil {
			return err
		}
	}
	keys := []string{"file", "index", "sheet", "project", "outcome_before", "outcome_after", "score_before", "score_after", "score_change",
		"rec_before", "rec_after", "rec_change", "added_long", "removed_long", "errors_long"}
	head := make([]any, len(keys))
	for i, k := range keys {
		head[i] = excelize.Cell{Value: x.l(k), StyleID: header}
	}
	if err := sw.SetRow("A1", head); err != nil {
		return err
	}
	num := func(d *decimal.Decimal, style int) any {
		if d == nil {
			return nil
		}
		return excelize.Cell{Value: summary.Number(*d), StyleID: style}
	}
	change := func(d Delta, style int) any {
		if c, ok := d.Change(); ok {
			return num(&c, style)
		}
		return nil
	}
	for i, p := range r.ChangedProjects {
		var index any
		if p.Index > 0 {
			index = p.Index
		}
		errs := p.ErrorBefore
		if p.ErrorAfter != "" && p.ErrorAfter != p.ErrorBefore {
			errs = joinNonEmpty(errs, p.ErrorAfter)
		}
		row := []any{p.File, index, p.Sheet, p.Name, outcomeText(p.Before, x.Lang), outcomeText(p.After, x.Lang),
			num(p.Score.Before, score), num(p.Score.After, score), change(p.Score, score),
			num(p.Recommended.Before, money), num(p.Recommended.After, money), change(p.Recommended, money),
			excelize.Cell{Value: refsText(p.Added, "\n", x.l("list_sep")), StyleID: wrap}, excelize.Cell{Value: refsText(p.Removed, "\n", x.l("list_sep")), StyleID: wrap}, errs}
		cell, _ := excelize.CoordinatesToCellName(1, i+2)
		if err := sw.SetRow(cell, row); err != nil {
			return err
		}
	}
	last, _ := excelize.CoordinatesToCellName(len(keys), max(len(r.ChangedProjects)+1, 2))
	if err := f.AutoFilter(projects, "A1:"+last, nil); err != nil {
		return err
	}
	if err := sw.Flush(); err != nil {
		return err
	}
	if err := x.summarySheet(f, r, header, money); err != nil {
		return err
	}
	_, err = f.WriteTo(w)
	return err
}

// summarySheet writes the report's figures on a small second sheet.
func (x XLSX) summarySheet(f *excelize.File, r *Report, header, money int) error {
	name := x.l("sheet_summary")
	if _, err := f.NewSheet(name); err != nil {
		return err
	}
	s := &rows{f: f, sheet: name}
	s.put(x.l("title"))
	s.style(header, 1)
	s.put(x.l("base"), sideText(r.Base))
	s.put(x.l("new"), sideText(r.New))
	s.put(fmt.Sprintf(x.l("counts"), r.Projects, r.Inputs, r.Changed, r.Unchanged, r.OutcomeChanged))
	s.put()

	from, to := r.outcomeAxes()
	head := []any{x.l("corner")}
	for _, c := range to {
		head = append(head, outcomeText(c, x.Lang))
	}
	s.put(head...)
	s.style(header, len(head))
	for _, a := range from {
		cells := []any{outcomeText(a, x.Lang)}
		for _, b := range to {
			cells = append(cells, r.count(a.Code, b.Code))
		}
		s.put(cells...)
	}
	s.put()

	s.put(x.l("scores_head"), x.l("min"), x.l("median"), x.l("max"))
	s.style(header, 4)
	sc := func(d *decimal.Decimal) any {
		if d == nil {
			return nil
		}
		return summary.Number(*d)
	}
	s.put(r.Score.Changed, sc(r.Score.Min), sc(r.Score.Median), sc(r.Score.Max))
	s.put()

	s.put(x.l("budget"), x.l("base"), x.l("new"), x.l("change"))
	s.style(header, 4)
	s.put(x.l("total"), summary.Number(r.Budget.Before), summary.Number(r.Budget.After), summary.Number(r.Budget.Change))
	s.styleFrom(money, 2, 4)
	s.put()

	s.put(x.l("code"), x.l("finding"), x.l("added"), x.l("removed"))
	s.style(header, 4)
	for _, fc := range r.Findings {
		s.put(fc.Code, fc.Title, fc.Added, fc.Removed)
	}
	for i, wd := range []float64{30, 36, 16, 16, 16, 16, 16, 16} {
		col, _ := excelize.ColumnNumberToName(i + 1)
		if s.err == nil {
			s.err = f.SetColWidth(name, col, col, wd)
		}
	}
	return s.err
}

// rows writes a small sheet row by row, keeping the first error.
type rows struct {
	f     *excelize.File
	sheet string
	row   int
	err   error
}

func (s *rows) put(values ...any) {
	s.row++
	if s.err == nil && len(values) > 0 {
		cell, _ := excelize.CoordinatesToCellName(1, s.row)
		s.err = s.f.SetSheetRow(s.sheet, cell, &values)
	}
}

// style sets the style of the first cols cells of the last row.
func (s *rows) style(id, cols int) { s.styleFrom(id, 1, cols) }

func (s *rows) styleFrom(id, from, to int) {
	if s.err == nil {
		a, _ := excelize.CoordinatesToCellName(from, s.row)
		b, _ := excelize.CoordinatesToCellName(to, s.row)
		s.err = s.f.SetCellStyle(s.sheet, a, b, id)
	}
}

func joinNonEmpty(a, b string) string {
	switch {
	case a == "":
		return b
	case b == "":
		return a
	}
	return a + "\n" + b
}
