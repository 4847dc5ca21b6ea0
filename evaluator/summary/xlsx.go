package summary

import (
	"fmt"
	"strconv"
	"strings"
	"unicode/utf8"

	"github.com/shopspring/decimal"
	"github.com/xuri/excelize/v2"

	"github.com/budgetcheck/budgetcheck/evaluator/output"
)

// maxRows is the most rows an Excel sheet holds; a detail sheet that would
// hold more continues on another sheet ("问题清单 2").
var maxRows = excelize.TotalRows

// MoneyFormat shows 万元 amounts with their decimals (to the fen: 6 places).
const MoneyFormat = "#,##0.0000##;-#,##0.0000##;0"

// Number is a money cell's value: the decimal as an Excel number. The float64
// is parsed from the decimal's text and written back by excelize in the
// shortest form that round-trips, which is that same text (an amount has far
// fewer than 15 significant digits); when it would not be, the exact text is
// written instead of a rounded number.
func Number(d decimal.Decimal) any {
	s := d.String()
	f, err := strconv.ParseFloat(s, 64)
	if err != nil || strconv.FormatFloat(f, 'f', -1, 64) != s {
		return s
	}
	return f
}

type styles struct {
	header, money, score, total, totalMoney, wrap int
}

func newStyles(f *excelize.File) (styles, error) {
	var s styles
	moneyFmt, scoreFmt := MoneyFormat, "0.00"
	defs := []struct {
		id    *int
		style excelize.Style
	}{
		{&s.header, excelize.Style{Font: &excelize.Font{Bold: true}, Fill: excelize.Fill{Type: "pattern", Pattern: 1, Color: []string{"DDEBF7"}}, Alignment: &excelize.Alignment{Vertical: "center", WrapText: true}}},
		{&s.money, excelize.Style{CustomNumFmt: &moneyFmt}},
		{&s.score, excelize.Style{CustomNumFmt: &scoreFmt}},
		{&s.total, excelize.Style{Font: &excelize.Font{Bold: true}}},
		{&s.totalMoney, excelize.Style{Font: &excelize.Font{Bold: true}, CustomNumFmt: &moneyFmt}},
		{&s.wrap, excelize.Style{Alignment: &excelize.Alignment{WrapText: true, Vertical: "top"}}},
	}
	for _, d := range defs {
		id, err := f.NewStyle(&d.style)
		if err != nil {
			return s, err
		}
		*d.id = id
	}
	return s, nil
}

// sheet streams rows into one sheet, continuing on a new one when full.
type sheet struct {
	f      *excelize.File
	base   string
	n      int // sheets used
	header []any
	widths []float64
	sw     *excelize.StreamWriter
	name   string
	row    int // last row written
	done   []*excelize.StreamWriter
	st     styles
	filter bool
}

func (s *sheet) start() error {
	s.n++
	s.name = s.base
	if s.n > 1 {
		s.name = fmt.Sprintf("%s %d", s.base, s.n)
	}
	if idx, _ := s.f.GetSheetIndex(s.name); idx < 0 {
		if _, err := s.f.NewSheet(s.name); err != nil {
			return err
		}
	}
	sw, err := s.f.NewStreamWriter(s.name)
	if err != nil {
		return err
	}
	if err := sw.SetPanes(&excelize.Panes{Freeze: true, YSplit: 1, TopLeftCell: "A2", ActivePane: "bottomLeft"}); err != nil {
		return err
	}
	for i, wd := range s.widths {
		if err := sw.SetColWidth(i+1, i+1, wd); err != nil {
			return err
		}
	}
	s.sw, s.row = sw, 1
	return sw.SetRow("A1", s.header, excelize.RowOpts{StyleID: s.st.header})
}

func (s *sheet) add(values []any, opts ...excelize.RowOpts) error {
	if s.sw == nil || s.row >= maxRows {
		if err := s.finish(); err != nil {
			return err
		}
		if err := s.start(); err != nil {
			return err
		}
	}
	s.row++
	cell, _ := excelize.CoordinatesToCellName(1, s.row)
	return s.sw.SetRow(cell, values, opts...)
}

// finish closes the current sheet: an autofilter over its header and rows.
func (s *sheet) finish() error {
	if s.sw == nil {
		return nil
	}
	last, _ := excelize.CoordinatesToCellName(len(s.header), max(s.row, 2))
	if s.filter {
		if err := s.f.AutoFilter(s.name, "A1:"+last, nil); err != nil {
			return err
		}
	}
	err := s.sw.Flush()
	s.sw = nil
	return err
}

func (s *sheet) headerOf(w *Writer, keys ...string) {
	s.header = make([]any, len(keys))
	for i, k := range keys {
		s.header[i] = excelize.Cell{Value: w.label(k), StyleID: s.st.header}
	}
}

func moneyCell(d decimal.Decimal, style int) excelize.Cell {
	return excelize.Cell{Value: Number(d), StyleID: style}
}

func (w *Writer) writeXLSX(ranked []entry, st Status) error {
	f := excelize.NewFile()
	defer f.Close()
	ss, err := newStyles(f)
	if err != nil {
		return err
	}
	sum := &sheet{f: f, base: w.label("sheet.summary"), st: ss, filter: true,
		widths: []float64{6, 36, 24, 18, 30, 24, 14, 14, 14, 10, 16, 8, 8, 8, 8, 50, 10, 80}}
	if err := f.SetSheetName("Sheet1", sum.base); err != nil {
		return err
	}
	sum.headerOf(w, summaryKeys...)
	rank := 0
	err = w.each(ranked, func(r Row) error {
		if r.Score == nil {
			return sum.add([]any{nil, r.File, r.Sheet, r.Code, r.Project, r.BudgetUnit, nil, nil, nil, nil, w.label("unreadable"), nil, nil, nil, r.ImportWarnings, r.Error, nil, nil})
		}
		rank++
		if r.ReviewCode != "" { // a target review: a grade and notes, no score or adjustment
			return sum.add([]any{rank, r.File, r.Sheet, r.Code, r.Project, r.BudgetUnit, moneyCell(r.Requested, ss.money), nil, nil, nil, nil,
				r.Errors, r.Warnings, r.Infos, r.ImportWarnings, w.note(r), r.Review, excelize.Cell{Value: r.Notes, StyleID: ss.wrap}},
				excelize.RowOpts{Height: notesHeight(r.Notes)})
		}
		return sum.add([]any{rank, r.File, r.Sheet, r.Code, r.Project, r.BudgetUnit,
			moneyCell(r.Requested, ss.money), moneyCell(r.Recommended, ss.money), moneyCell(r.Change, ss.money),
			excelize.Cell{Value: Number(*r.Score), StyleID: ss.score}, r.Conclusion, r.Errors, r.Warnings, r.Infos, r.ImportWarnings, w.note(r), nil, nil})
	})
	if err != nil {
		return err
	}
	if sum.sw == nil { // no rows at all
		if err := sum.start(); err != nil {
			return err
		}
	}
	t := w.totals
	// The totals row stands below the autofilter's range.
	last := sum.row
	sum.filter = false
	tc := func(v any) excelize.Cell { return excelize.Cell{Value: v, StyleID: ss.total} }
	if err := sum.add([]any{tc(w.label("total")), nil, nil, nil, tc(w.count()), nil,
		moneyCell(t.Requested, ss.totalMoney), moneyCell(t.Recommended, ss.totalMoney), moneyCell(t.Change, ss.totalMoney),
		nil, nil, tc(t.Errors), tc(t.Warnings), tc(t.Infos), tc(t.Imports), nil, tc(t.GradeCounts(w.lang)), nil}); err != nil {
		return err
	}
	if st.Partial {
		if err := sum.add([]any{tc(w.status(st))}); err != nil {
			return err
		}
	}
	lastCell, _ := excelize.CoordinatesToCellName(len(sum.header), max(last, 2))
	if err := f.AutoFilter(sum.name, "A1:"+lastCell, nil); err != nil {
		return err
	}
	if err := sum.finish(); err != nil {
		return err
	}

	fs := &sheet{f: f, base: w.label("sheet.findings"), st: ss, filter: true,
		widths: []float64{36, 24, 18, 30, 26, 10, 24, 12, 40, 80, 14}}
	fs.headerOf(w, findingKeys...)
	cs := &sheet{f: f, base: w.label("sheet.changes"), st: ss, filter: true,
		widths: []float64{36, 30, 14, 30, 10, 6, 14, 14, 14}}
	cs.headerOf(w, "file", "project", "line", "line_name", "contract", "new", "line_requested", "line_recommend", "line_change")
	// The detail sheets stream in input order, straight from the spill file.
	err = w.each(w.index, func(r Row) error {
		for _, x := range r.Findings {
			adj := any(moneyCell(x.Adjustment, ss.money))
			if x.Severity == SeverityImport {
				adj = nil
			}
			if err := fs.add([]any{r.File, r.Sheet, r.Code, r.Project, x.Code, w.severity(x.Severity), x.Title, x.Subject, x.Location,
				excelize.Cell{Value: x.Message, StyleID: ss.wrap}, adj}); err != nil {
				return err
			}
		}
		for _, c := range r.Changes {
			isNew := ""
			if c.New {
				isNew = w.label("yes")
			}
			if err := cs.add([]any{r.File, r.Project, c.Line, c.Name, c.Contract, isNew,
				moneyCell(c.Requested, ss.money), moneyCell(c.Recommended, ss.money), moneyCell(c.Change, ss.money)}); err != nil {
				return err
			}
		}
		return nil
	})
	if err != nil {
		return err
	}
	for _, s := range []*sheet{fs, cs} {
		if s.sw == nil {
			if err := s.start(); err != nil {
				return err
			}
		}
		if err := s.finish(); err != nil {
			return err
		}
	}
	if err := w.writeSkippedSheet(f, ss, st); err != nil {
		return err
	}
	// 汇总 is the first sheet and so the active one; SetActiveSheet would read
	// every streamed sheet back.
	return w.saveSorted(f)
}

// saveSorted writes the workbook with its zip entries in name order (the
// same bytes from run to run), streaming it to disk.
func (w *Writer) saveSorted(f *excelize.File) error {
	return output.WriteWorkbook(w.path(XLSXName), f)
}

// notesHeight is the height of a row whose 审核意见 cell holds notes: about
// 40 Chinese characters to a line in its column, 15 points a line.
func notesHeight(notes string) float64 {
	lines := 0
	for _, note := range strings.Split(notes, "\n") {
		lines += max(1, (utf8.RuneCountInString(note)+39)/40)
	}
	return min(409, 15*float64(lines))
}
