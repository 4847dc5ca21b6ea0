package annotate

import (
	"cmp"
	"fmt"
	"path/filepath"
	"slices"
	"strings"

	"github.com/xuri/excelize/v2"

	"github.com/budgetcheck/budgetcheck/evaluator/output"
	"github.com/budgetcheck/budgetcheck/evaluator/result"
	"github.com/budgetcheck/budgetcheck/evaluator/summary"
)

// RegisterName is the register's file name in the output directory.
const RegisterName = "审核结果.xlsx"

// Register collects the projects of a batch and writes the register
// 审核结果.xlsx and one letter per 申请单位 (审核意见-<unit>.md and .html).
// Projects arrive one at a time and are spilled to a temporary file; only a
// small index is kept to sort them by unit and code, so memory stays flat
// with the number of projects.
type Register struct {
	dir    string
	lang   string
	spill  *output.Spill[Project]
	index  []entry
	units  map[string]int32
	names  []string // units by id
	grades map[string]int16
	shown  []string // grade text by id
	codes  []string // grade code by id
	// Reviews counts the documents of a target review.
	Reviews int
}

// entry locates one spilled project and sorts it: by unit, then code, then
// the order it came in.
type entry struct {
	output.Ref
	unit  int32
	grade int16
	code  string
}

// NewRegister starts a register that writes into dir.
func NewRegister(dir, lang string) (*Register, error) {
	spill, err := output.NewSpill[Project](dir, ".register-*.spill")
	if err != nil {
		return nil, fmt.Errorf("register: %w", err)
	}
	return &Register{dir: dir, lang: lang, spill: spill,
		units: map[string]int32{}, grades: map[string]int16{}}, nil
}

// Add appends the project of one result document.
func (r *Register) Add(doc *result.Document) error {
	return r.AddFrom(doc, "")
}

// AddFrom appends the project of one result document read from a sheet of
// a workbook, which the letters name.
func (r *Register) AddFrom(doc *result.Document, sheet string) error {
	p := FromDocument(doc, r.lang)
	p.Sheet = sheet
	if doc.Review != nil {
		r.Reviews++
	}
	ref, err := r.spill.Add(p)
	if err != nil {
		return fmt.Errorf("register: %w", err)
	}
	unit, ok := r.units[p.Unit]
	if !ok {
		unit = int32(len(r.names))
		r.units[p.Unit] = unit
		r.names = append(r.names, p.Unit)
	}
	gradeKey, shown := p.GradeCode, p.Grade
	if p.Unreadable {
		gradeKey, shown = "unreadable", p.Outcome(r.lang)
	}
	grade, ok := r.grades[gradeKey]
	if !ok {
		grade = int16(len(r.shown))
		r.grades[gradeKey] = grade
		r.shown = append(r.shown, shown)
		r.codes = append(r.codes, gradeKey)
	}
	r.index = append(r.index, entry{Ref: ref, unit: unit, grade: grade, code: p.Code})
	return nil
}

// Projects is the number of projects added.
func (r *Register) Projects() int { return len(r.index) }

// Close writes 审核结果.xlsx and the letters (each atomically) and removes
// the spill file.
func (r *Register) Close(st summary.Status) error {
	defer r.Discard()
	if err := r.spill.Flush(); err != nil {
		return fmt.Errorf("register: %w", err)
	}
	sorted := r.sorted()
	if err := r.writeXLSX(sorted, st); err != nil {
		return fmt.Errorf("register: %w", err)
	}
	if err := r.writeLetters(sorted, st); err != nil {
		return fmt.Errorf("register: %w", err)
	}
	return nil
}

// Discard removes the spill file without writing anything.
func (r *Register) Discard() {
	r.spill.Discard()
}

// sorted is the index by unit (a project without one last), code and arrival.
func (r *Register) sorted() []entry {
	out := slices.Clone(r.index)
	slices.SortStableFunc(out, func(a, b entry) int {
		ua, ub := r.names[a.unit], r.names[b.unit]
		return cmp.Or(
			cmp.Compare(boolInt(ua == ""), boolInt(ub == "")),
			strings.Compare(ua, ub),
			strings.Compare(a.code, b.code),
		)
	})
	return out
}

func boolInt(b bool) int {
	if b {
		return 1
	}
	return 0
}

// each reads the projects of entries back from the spill file.
func (r *Register) each(entries []entry, fn func(int, Project) error) error {
	for i, e := range entries {
		p, err := r.spill.Get(e.Ref)
		if err != nil {
			return fmt.Errorf("register: %w", err)
		}
		if err := fn(i, p); err != nil {
			return err
		}
	}
	return nil
}

// gradeOrder is the order grades are counted in: the target review's, then
// the pre-evaluation's conclusions, then anything else as it came.
var gradeOrder = []string{"excellent", "good", "fair", "poor", result.Support, result.SupportAfterAdjustment, result.Reject, "unreadable"}

// counts says how many of entries have each grade: "优 3 个，中 1 个".
func (r *Register) counts(entries []entry) string {
	n := make([]int, len(r.shown))
	for _, e := range entries {
		n[e.grade]++
	}
	ids := make([]int, len(r.shown))
	for i := range ids {
		ids[i] = i
	}
	pos := func(id int) int {
		if i := slices.Index(gradeOrder, r.codes[id]); i >= 0 {
			return i
		}
		return len(gradeOrder) + id
	}
	slices.SortFunc(ids, func(a, b int) int { return cmp.Compare(pos(a), pos(b)) })
	var parts []string
	for _, id := range ids {
		if n[id] > 0 && r.shown[id] != "" {
			parts = append(parts, fmt.Sprintf(label("register.grade", r.lang), r.shown[id], n[id]))
		}
	}
	return strings.Join(parts, label("sep", r.lang))
}

// Columns of the register and their widths (in characters; the sheet is
// printed one page wide on A4 landscape).
var registerColumns = []struct {
	key   string
	width float64
}{
	{"seq", 5}, {"code", 20}, {"name", 24}, {"unit", 18}, {"department", 18},
	{"grade", 9}, {"count", 7}, {"notes", 66},
}

// Rows of the register above the projects.
const registerHeader = 3

func (r *Register) writeXLSX(sorted []entry, st summary.Status) error {
	f := excelize.NewFile()
	defer f.Close()
	lang := r.lang
	sheet := label("register", lang)
	if err := f.SetSheetName("Sheet1", sheet); err != nil {
		return err
	}
	ss, err := newSheetStyles(f)
	if err != nil {
		return err
	}
	if err := printSetup(f, sheet, fmt.Sprintf("$%d:$%d", registerHeader, registerHeader)); err != nil {
		return err
	}
	sw, err := f.NewStreamWriter(sheet)
	if err != nil {
		return err
	}
	if err := sw.SetPanes(&excelize.Panes{Freeze: true, YSplit: registerHeader, TopLeftCell: fmt.Sprintf("A%d", registerHeader+1), ActivePane: "bottomLeft"}); err != nil {
		return err
	}
	header := make([]any, len(registerColumns))
	for i, c := range registerColumns {
		if err := sw.SetColWidth(i+1, i+1, c.width); err != nil {
			return err
		}
		header[i] = excelize.Cell{Value: label(c.key, lang), StyleID: ss.header}
	}
	last, _ := excelize.ColumnNumberToName(len(registerColumns))
	if err := sw.SetRow("A1", []any{excelize.Cell{Value: label("register.title", lang), StyleID: ss.title}}, excelize.RowOpts{Height: 24}); err != nil {
		return err
	}
	sub := fmt.Sprintf(label("register.count", lang), len(sorted))
	if c := r.counts(sorted); c != "" {
		sub += label("sep", lang) + c
	}
	if st.Partial {
		sub += label("sep", lang) + fmt.Sprintf(label("partial", lang), st.Inputs, st.Total)
	}
	if err := sw.SetRow("A2", []any{excelize.Cell{Value: sub, StyleID: ss.plain}}); err != nil {
		return err
	}
	for _, m := range [][2]string{{"A1", last + "1"}, {"A2", last + "2"}} {
		if err := sw.MergeCell(m[0], m[1]); err != nil {
			return err
		}
	}
	if err := sw.SetRow(fmt.Sprintf("A%d", registerHeader), header, excelize.RowOpts{Height: 20}); err != nil {
		return err
	}
	err = r.each(sorted, func(i int, p Project) error {
		name := p.Name
		if name == "" {
			name = p.File
		}
		notes := p.Lines(lang)
		height := 1
		for col, text := range map[int]string{2: name, 3: p.Unit, 4: p.Department, 7: notes} {
			height = max(height, lines(text, int(registerColumns[col].width)-2))
		}
		body := func(v any) excelize.Cell { return excelize.Cell{Value: v, StyleID: ss.body} }
		cell, _ := excelize.CoordinatesToCellName(1, registerHeader+1+i)
		return sw.SetRow(cell, []any{
			excelize.Cell{Value: i + 1, StyleID: ss.center}, body(p.Code), body(name), body(p.Unit), body(p.Department),
			excelize.Cell{Value: p.Outcome(lang), StyleID: ss.gradeStyle(p.GradeCode, p.Unreadable)},
			excelize.Cell{Value: len(p.Notes), StyleID: ss.center}, body(notes),
		}, excelize.RowOpts{Height: rowHeight(height)})
	})
	if err != nil {
		return err
	}
	end, _ := excelize.CoordinatesToCellName(len(registerColumns), registerHeader+max(len(sorted), 1))
	if err := f.AutoFilter(sheet, fmt.Sprintf("A%d:%s", registerHeader, end), nil); err != nil {
		return err
	}
	if err := sw.Flush(); err != nil {
		return err
	}
	return output.WriteWorkbook(filepath.Join(r.dir, RegisterName), f)
}
