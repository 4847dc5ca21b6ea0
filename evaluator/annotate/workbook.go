package annotate

import (
	"bufio"
	"cmp"
	"fmt"
	"os"
	"path/filepath"
	"slices"
	"strings"

	"github.com/xuri/excelize/v2"

	"github.com/budgetcheck/budgetcheck/evaluator/output"
	"github.com/budgetcheck/budgetcheck/evaluator/result"
	"github.com/budgetcheck/budgetcheck/evaluator/ruleset"
	"github.com/budgetcheck/budgetcheck/evaluator/xlsximport"
)

// Fills of a problem cell, by severity (Excel's own light red, yellow, blue).
var fills = map[string]string{Error: "FFC7CE", Warning: "FFEB9C", Info: "DDEBF7"}

// Options tune Workbook.
type Options struct {
	Lang string
	// MaxBytes refuses larger workbooks, as the import does (0:
	// xlsximport.DefaultMaxBytes); the import also bounds each part and the
	// whole unzipped, and the copy is opened only after it.
	MaxBytes int64
	// FiscalYear is the batch's --fiscal-year, for workbooks that do not
	// say their year: the import needs it to read their projects.
	FiscalYear int
	// Name is the workbook's name on the 审核意见 sheet ("": the base name
	// of src); serve gives the uploaded name, never its private file.
	Name string
}

// Stats say what an annotated copy holds.
type Stats struct {
	Projects int // projects listed on the 审核意见 sheet
	Cells    int // cells filled and commented
	Notes    int // notes placed in comments
}

// Workbook writes to dst a copy of the workbook src annotated with the
// notes of docs, the result documents of its projects: each cell a note
// points at is filled in the colour of its worst severity and carries one
// comment holding all its notes; a note with no cell in the workbook goes on
// its project's title cell; a first sheet 审核意见 lists the projects, their
// grades and notes, with links to their sheets and cells. Values, formulas,
// merges and the other sheets are left as they are: only styles (the fill)
// and comments are added.
func Workbook(src, dst string, docs []*result.Document, opts Options) (st Stats, err error) {
	lang := cmp.Or(opts.Lang, ruleset.LangZh)
	limit := opts.MaxBytes
	if limit <= 0 {
		limit = xlsximport.DefaultMaxBytes
	}
	wb, err := xlsximport.Import(src, xlsximport.Options{MaxBytes: limit, FiscalYear: opts.FiscalYear})
	if err != nil {
		return st, err // the import's problems, which name the file
	}
	// A malformed workbook must be an error, never a crash of the batch.
	defer func() {
		if r := recover(); r != nil {
			err = fmt.Errorf("annotate %s: the workbook cannot be read: %v", src, r)
		}
	}()
	f, err := excelize.OpenFile(src, excelize.Options{UnzipSizeLimit: xlsximport.DefaultMaxUnzipBytes, UnzipXMLSizeLimit: xlsximport.DefaultMaxPartBytes})
	if err != nil {
		return st, fmt.Errorf("annotate %s: %w", src, err)
	}
	defer f.Close()
	a := &annotator{f: f, lang: lang, styles: map[[2]any]int{}, merges: map[string][]excelize.MergeCell{}}
	projects := place(wb, docs, lang)
	if err := a.annotate(projects, &st); err != nil {
		return st, fmt.Errorf("annotate %s: %w", src, err)
	}
	if err := a.notesSheet(cmp.Or(opts.Name, filepath.Base(src)), projects); err != nil {
		return st, fmt.Errorf("annotate %s: %w", src, err)
	}
	st.Projects = len(projects)
	if err := os.MkdirAll(filepath.Dir(dst), 0o755); err != nil {
		return st, err
	}
	err = output.WriteFile(dst, func(w *bufio.Writer) error {
		_, err := f.WriteTo(w)
		return err
	})
	return st, err
}

// placed is a project of the workbook with the notes of its document.
type placed struct {
	Project
	sheet    string // the sheet it was read from
	title    ref    // its title cell: notes without a cell go there
	reviewed bool   // a result document was matched to it
}

// place matches the result documents to the workbook's projects: a
// document by its project's code, name and unit (the k-th of equal ones to
// the k-th project), a document of input errors by the sheets its errors
// name (the project of that row in a flat export). Projects keep the
// workbook's order; documents that match no project follow.
func place(wb *xlsximport.Workbook, docs []*result.Document, lang string) []*placed {
	var out []*placed
	byKey := map[string][]*placed{}
	bySheet := map[string]*placed{}
	byRow := map[[2]any]*placed{} // flat exports: a project is a row of its sheet
	key := func(code, name, unit string) string { return code + "\x00" + name + "\x00" + unit }
	for _, p := range wb.Projects {
		pl := &placed{sheet: p.Sheet, title: ref{sheet: p.Sheet, cell: "A1", col: 1, row: 1}}
		pl.File, pl.Code, pl.Name = wb.File, p.ProjectCode, p.ProjectName
		if r, ok := parseSheetRef(p.Cell()); ok && r.cell != "" {
			pl.title = r
		}
		if s := p.Submission; s != nil {
			pl.Code, pl.Name, pl.Unit, pl.Department = s.Project.Code, s.Project.Name, s.Project.BudgetUnit, s.Project.Department
			k := key(pl.Code, pl.Name, pl.Unit)
			byKey[k] = append(byKey[k], pl)
		}
		if _, seen := bySheet[p.Sheet]; !seen {
			bySheet[p.Sheet] = pl
		}
		if p.Row > 0 {
			byRow[[2]any{p.Sheet, p.Row}] = pl
		}
		out = append(out, pl)
	}
	for _, doc := range docs {
		pr := FromDocument(doc, lang)
		if pr.Unreadable {
			// Each error goes to the project of the sheet it names.
			var rest []Note
			for _, n := range pr.Notes {
				r, ok := parseRef(n.Location.File)
				pl := byRow[[2]any{r.sheet, r.row}]
				if pl == nil {
					pl = bySheet[r.sheet]
				}
				if ok && pl != nil {
					n.N = len(pl.Notes) + 1
					pl.Notes = append(pl.Notes, n)
					pl.Unreadable, pl.reviewed = true, true
					continue
				}
				rest = append(rest, n)
			}
			if len(rest) > 0 {
				pr.Notes = rest
				out = append(out, &placed{Project: pr, reviewed: true})
			}
			continue
		}
		k := key(pr.Code, pr.Name, pr.Unit)
		if q := byKey[k]; len(q) > 0 {
			pl := q[0]
			byKey[k] = q[1:]
			pl.Project, pl.reviewed = pr, true
			pl.Project.File = wb.File
			continue
		}
		out = append(out, &placed{Project: pr, reviewed: true})
	}
	return out
}

type annotator struct {
	f      *excelize.File
	lang   string
	styles map[[2]any]int // (the cell's style, severity) → its filled style
	merges map[string][]excelize.MergeCell
}

// target is a cell that carries notes.
type target struct {
	ref
	sheetIdx int
	notes    []Note
	title    bool // the project's title cell, for notes that have no cell
}

// annotate fills and comments every cell a note points at.
func (a *annotator) annotate(projects []*placed, st *Stats) error {
	cells := map[ref]*target{}
	var order []*target
	add := func(r ref, n Note, title bool) {
		t := cells[r]
		if t == nil {
			idx, _ := a.f.GetSheetIndex(r.sheet)
			t = &target{ref: r, sheetIdx: idx}
			cells[r] = t
			order = append(order, t)
		}
		t.title = t.title || title
		t.notes = append(t.notes, n)
	}
	for _, p := range projects {
		for _, n := range p.Notes {
			if r, ok := a.cell(n); ok {
				add(r, n, false)
				continue
			}
			if p.sheet != "" {
				add(p.title, n, true)
			}
		}
	}
	slices.SortFunc(order, func(x, y *target) int {
		return cmp.Or(cmp.Compare(x.sheetIdx, y.sheetIdx), cmp.Compare(x.row, y.row), cmp.Compare(x.col, y.col))
	})
	for _, t := range order {
		worst := ""
		for _, n := range t.notes {
			if rank(n.Severity) > rank(worst) {
				worst = n.Severity
			}
		}
		if err := a.fill(t.ref, cmp.Or(worst, Warning)); err != nil {
			return err
		}
		if err := a.comment(t); err != nil {
			return err
		}
		st.Cells++
		st.Notes += len(t.notes)
	}
	return nil
}

// cell is the cell a note points at, when it is a cell of this workbook: the
// first cell of a merged range it falls in.
func (a *annotator) cell(n Note) (ref, bool) {
	r, ok := parseRef(n.Location.File)
	if !ok || r.cell == "" {
		return ref{}, false
	}
	if idx, err := a.f.GetSheetIndex(r.sheet); err != nil || idx < 0 {
		return ref{}, false
	}
	merges, seen := a.merges[r.sheet]
	if !seen {
		// Without values: excelize rewrites a number's stored text in
		// place when it formats it (2.02828E7 would become 20282800).
		merges, _ = a.f.GetMergeCells(r.sheet, true)
		a.merges[r.sheet] = merges
	}
	for _, m := range merges {
		c1, r1, err1 := excelize.CellNameToCoordinates(m.GetStartAxis())
		c2, r2, err2 := excelize.CellNameToCoordinates(m.GetEndAxis())
		if err1 == nil && err2 == nil && r.col >= c1 && r.col <= c2 && r.row >= r1 && r.row <= r2 {
			r.col, r.row, r.cell = c1, r1, m.GetStartAxis()
			break
		}
	}
	return r, true
}

// fill gives the cell a style that is its own with the severity's fill: the
// number format, font, border and alignment stay.
func (a *annotator) fill(r ref, sev string) error {
	orig, err := a.f.GetCellStyle(r.sheet, r.cell)
	if err != nil {
		return err
	}
	key := [2]any{orig, sev}
	id, ok := a.styles[key]
	if !ok {
		style, err := a.f.GetStyle(orig)
		if err != nil {
			return err
		}
		style.Fill = excelize.Fill{Type: "pattern", Pattern: 1, Color: []string{fills[sev]}}
		if id, err = a.f.NewStyle(style); err != nil {
			return err
		}
		a.styles[key] = id
	}
	return a.f.SetCellStyle(r.sheet, r.cell, r.cell, id)
}

// comment puts the cell's notes in one comment, after the comment the cell
// already had (which is kept).
func (a *annotator) comment(t *target) error {
	var runs []excelize.RichTextRun
	bold := &excelize.Font{Bold: true, Size: 9}
	plain := &excelize.Font{Size: 9}
	comments, err := a.f.GetComments(t.sheet)
	if err != nil {
		return err
	}
	for _, c := range comments {
		if c.Cell != t.cell {
			continue
		}
		runs = append(runs, excelize.RichTextRun{Text: label("comment.original", a.lang), Font: bold})
		if c.Text != "" {
			runs = append(runs, excelize.RichTextRun{Text: c.Text, Font: plain})
		}
		runs = append(runs, c.Paragraph...)
		runs = append(runs, excelize.RichTextRun{Text: "\n\n", Font: plain})
		if err := a.f.DeleteComment(t.sheet, t.cell); err != nil {
			return err
		}
		break
	}
	head := label("comment.author", a.lang) + "："
	if a.lang == ruleset.LangEn {
		head = label("comment.author", a.lang) + ": "
	}
	if t.title {
		head += label("comment.project", a.lang)
	}
	runs = append(runs, excelize.RichTextRun{Text: head, Font: bold})
	width := 0
	for _, n := range t.notes {
		text := fmt.Sprintf(label("note", a.lang), n.N, n.Text) + fmt.Sprintf(label("comment.code", a.lang), n.Code)
		runs = append(runs, excelize.RichTextRun{Text: "\n" + text, Font: plain})
		width += lines(text, commentChars)
	}
	return a.f.AddComment(t.sheet, excelize.Comment{
		Cell: t.cell, Author: "budgetcheck", Paragraph: runs,
		Width: commentWidth, Height: uint(min(24+16*width, 480)),
	})
}

// A comment box is 360 pixels wide: about 26 Chinese characters of 9 points.
const (
	commentWidth = 360
	commentChars = 52 // in half-width units
)

// lines is how many lines text takes wrapped at width half-width units (a
// Chinese character counts 2).
func lines(text string, width int) int {
	n := 0
	for _, line := range strings.Split(text, "\n") {
		n += max(1, (displayWidth(line)+width-1)/width)
	}
	return n
}

func displayWidth(s string) int {
	w := 0
	for _, r := range s {
		if r >= 0x1100 {
			w += 2
		} else {
			w++
		}
	}
	return w
}

// Columns of the 审核意见 sheet and their widths.
var notesColumns = []struct {
	key   string
	width float64
}{
	{"project_sheet", 16}, {"code", 20}, {"name", 24}, {"unit", 20}, {"grade", 16},
	{"n", 6}, {"notes", 62}, {"cell", 12},
}

// Rows of the 审核意见 sheet above the projects.
const notesHeader = 4

// notesSheet adds the first sheet, 审核意见: per project its sheet (a link to
// its title cell), code, name, unit and grade, then one row per note with a
// link to its cell.
func (a *annotator) notesSheet(book string, projects []*placed) error {
	f, lang := a.f, a.lang
	name := label("sheet", lang)
	for i := 2; ; i++ {
		if idx, _ := f.GetSheetIndex(name); idx < 0 {
			break
		}
		name = fmt.Sprintf("%s（%d）", label("sheet", lang), i)
	}
	if _, err := f.NewSheet(name); err != nil {
		return err
	}
	if err := putFirst(f, name); err != nil {
		return err
	}
	ss, err := newSheetStyles(f)
	if err != nil {
		return err
	}
	last, _ := excelize.ColumnNumberToName(len(notesColumns))
	set := func(cell string, v any, style int) error {
		if err := f.SetCellValue(name, cell, v); err != nil {
			return err
		}
		return f.SetCellStyle(name, cell, cell, style)
	}
	for i, c := range notesColumns {
		col, _ := excelize.ColumnNumberToName(i + 1)
		if err := f.SetColWidth(name, col, col, c.width); err != nil {
			return err
		}
		if err := set(col+"4", label(c.key, lang), ss.header); err != nil {
			return err
		}
	}
	if err := set("A1", fmt.Sprintf(label("sheet.title", lang), book), ss.title); err != nil {
		return err
	}
	if err := set("A2", label("legend", lang), ss.plain); err != nil {
		return err
	}
	for i, sev := range []string{Error, Warning, Info} {
		cell, _ := excelize.CoordinatesToCellName(i+1, 3)
		if err := set(cell, severity(sev, lang), ss.chip[sev]); err != nil {
			return err
		}
	}
	for _, m := range [][2]string{{"A1", last + "1"}, {"A2", last + "2"}} {
		if err := f.MergeCell(name, m[0], m[1]); err != nil {
			return err
		}
	}
	if err := f.SetRowHeight(name, 1, 24); err != nil {
		return err
	}
	row := notesHeader + 1
	for _, p := range projects {
		first := row
		grade := p.Outcome(lang)
		if !p.reviewed {
			grade = label("not_reviewed", lang)
		}
		if p.Consequence != "" {
			grade += "\n" + p.Consequence
		}
		values := []any{p.sheet, p.Code, p.Name, p.Unit, grade}
		for i, v := range values {
			cell, _ := excelize.CoordinatesToCellName(i+1, row)
			style := ss.body
			if i == 4 {
				style = ss.gradeStyle(p.GradeCode, p.Unreadable)
			}
			if err := set(cell, v, style); err != nil {
				return err
			}
		}
		if p.sheet != "" {
			cell, _ := excelize.CoordinatesToCellName(1, row)
			if err := f.SetCellHyperLink(name, cell, p.title.String(), "Location"); err != nil {
				return err
			}
			if err := f.SetCellStyle(name, cell, cell, ss.link); err != nil {
				return err
			}
		}
		// The block's rows together must show the project's cells, which
		// are merged over them: the last row takes what the notes leave.
		need := 1
		for i, v := range values {
			if text, ok := v.(string); ok {
				need = max(need, lines(text, int(notesColumns[i].width)-2))
			}
		}
		used, lastLines := 0, 1
		notes := p.Notes
		if len(notes) == 0 {
			if err := set(fmt.Sprintf("F%d", row), nil, ss.body); err != nil {
				return err
			}
			text := label("none", lang)
			if !p.reviewed {
				text = ""
			}
			if err := set(fmt.Sprintf("G%d", row), text, ss.body); err != nil {
				return err
			}
			if err := set(fmt.Sprintf("H%d", row), nil, ss.body); err != nil {
				return err
			}
			used = 1
			row++
		}
		for _, n := range notes {
			text := n.Text + fmt.Sprintf(label("comment.code", lang), n.Code)
			if err := set(fmt.Sprintf("F%d", row), n.N, ss.center); err != nil {
				return err
			}
			if err := set(fmt.Sprintf("G%d", row), text, ss.body); err != nil {
				return err
			}
			target, ok := a.cell(n)
			if !ok && p.sheet != "" {
				target, ok = p.title, true
			}
			where := fmt.Sprintf("H%d", row)
			if ok {
				shown := target.cell
				if target.sheet != p.sheet {
					shown = target.String()
				}
				if err := set(where, shown, ss.link); err != nil {
					return err
				}
				if err := f.SetCellHyperLink(name, where, target.String(), "Location"); err != nil {
					return err
				}
			} else if err := set(where, Where(n.Location, lang), ss.body); err != nil {
				return err
			}
			n := lines(text, int(notesColumns[6].width)-2)
			if err := f.SetRowHeight(name, row, rowHeight(n)); err != nil {
				return err
			}
			used, lastLines = used+n, n
			row++
		}
		if need > used {
			if err := f.SetRowHeight(name, row-1, rowHeight(lastLines+need-used)); err != nil {
				return err
			}
		}
		if row-1 > first {
			for col := 1; col <= 5; col++ {
				top, _ := excelize.CoordinatesToCellName(col, first)
				bottom, _ := excelize.CoordinatesToCellName(col, row-1)
				if err := f.MergeCell(name, top, bottom); err != nil {
					return err
				}
			}
		}
	}
	if err := f.SetPanes(name, &excelize.Panes{Freeze: true, YSplit: notesHeader, TopLeftCell: fmt.Sprintf("A%d", notesHeader+1), ActivePane: "bottomLeft"}); err != nil {
		return err
	}
	return printSetup(f, name, fmt.Sprintf("$%d:$%d", notesHeader, notesHeader))
}

// rowHeight is the height in points of a row of n lines of 11-point text,
// at most the 409 points Excel allows (a longer text is all in the cell,
// seen in the formula bar or by widening the row in print).
func rowHeight(n int) float64 {
	return min(float64(max(n, 1))*15+3, excelize.MaxRowHeight)
}

// putFirst makes sheet the first and active one. Names defined for one sheet
// refer to it by its position, so they are defined again after the move.
func putFirst(f *excelize.File, sheet string) error {
	var local []excelize.DefinedName
	for _, dn := range f.GetDefinedName() {
		if dn.Scope != "Workbook" {
			local = append(local, dn)
		}
	}
	for _, dn := range local {
		if err := f.DeleteDefinedName(&dn); err != nil {
			return err
		}
	}
	if err := f.MoveSheet(sheet, f.GetSheetName(0)); err != nil {
		return err
	}
	for _, dn := range local {
		if err := f.SetDefinedName(&dn); err != nil {
			return err
		}
	}
	f.SetActiveSheet(0)
	return nil
}

// printSetup lays a sheet out for A4 landscape, one page wide, with the rows
// titles repeated on every page and the page number in the footer.
func printSetup(f *excelize.File, sheet, titles string) error {
	size, orientation, wide, tall, fit := 9, "landscape", 1, 0, true
	if err := f.SetPageLayout(sheet, &excelize.PageLayoutOptions{Size: &size, Orientation: &orientation, FitToWidth: &wide, FitToHeight: &tall}); err != nil {
		return err
	}
	if err := f.SetSheetProps(sheet, &excelize.SheetPropsOptions{FitToPage: &fit}); err != nil {
		return err
	}
	margin, edge := 0.5, 0.3
	if err := f.SetPageMargins(sheet, &excelize.PageLayoutMarginsOptions{Left: &margin, Right: &margin, Top: &margin, Bottom: &margin, Header: &edge, Footer: &edge}); err != nil {
		return err
	}
	if err := f.SetHeaderFooter(sheet, &excelize.HeaderFooterOptions{OddFooter: "&C&P / &N"}); err != nil {
		return err
	}
	return f.SetDefinedName(&excelize.DefinedName{Name: "_xlnm.Print_Titles", RefersTo: quote(sheet) + "!" + titles, Scope: sheet})
}

// sheetStyles are the styles of the sheets budgetcheck writes itself.
type sheetStyles struct {
	title, plain, header, body, center, link int
	chip                                     map[string]int
	grades                                   map[string]int
}

// Fills of a grade: green for 优, yellow for 中, red for 差 (and the
// pre-evaluation's conclusions alike).
var gradeFills = map[string]string{
	"excellent": "C6EFCE", "good": "E2EFDA", "fair": "FFEB9C", "poor": "FFC7CE",
	result.Support: "C6EFCE", result.SupportAfterAdjustment: "FFEB9C", result.Reject: "FFC7CE",
}

func newSheetStyles(f *excelize.File) (sheetStyles, error) {
	ss := sheetStyles{chip: map[string]int{}, grades: map[string]int{}}
	border := []excelize.Border{
		{Type: "left", Color: "A6A6A6", Style: 1}, {Type: "right", Color: "A6A6A6", Style: 1},
		{Type: "top", Color: "A6A6A6", Style: 1}, {Type: "bottom", Color: "A6A6A6", Style: 1},
	}
	wrap := &excelize.Alignment{WrapText: true, Vertical: "top"}
	fill := func(color string) excelize.Fill {
		return excelize.Fill{Type: "pattern", Pattern: 1, Color: []string{color}}
	}
	defs := []struct {
		id    *int
		style excelize.Style
	}{
		{&ss.title, excelize.Style{Font: &excelize.Font{Bold: true, Size: 14}, Alignment: &excelize.Alignment{Vertical: "center"}}},
		{&ss.plain, excelize.Style{Alignment: wrap}},
		{&ss.header, excelize.Style{Font: &excelize.Font{Bold: true}, Fill: fill("DDEBF7"), Border: border, Alignment: &excelize.Alignment{WrapText: true, Vertical: "center", Horizontal: "center"}}},
		{&ss.body, excelize.Style{Border: border, Alignment: wrap}},
		{&ss.center, excelize.Style{Border: border, Alignment: &excelize.Alignment{Vertical: "top", Horizontal: "center"}}},
		{&ss.link, excelize.Style{Border: border, Alignment: wrap, Font: &excelize.Font{Color: "0563C1", Underline: "single"}}},
	}
	for _, d := range defs {
		id, err := f.NewStyle(&d.style)
		if err != nil {
			return ss, err
		}
		*d.id = id
	}
	for _, sev := range []string{Error, Warning, Info} {
		id, err := f.NewStyle(&excelize.Style{Fill: fill(fills[sev]), Border: border, Alignment: &excelize.Alignment{Horizontal: "center"}})
		if err != nil {
			return ss, err
		}
		ss.chip[sev] = id
	}
	codes := make([]string, 0, len(gradeFills))
	for code := range gradeFills {
		codes = append(codes, code)
	}
	slices.Sort(codes) // styles in a fixed order: the same bytes every run
	for _, code := range codes {
		id, err := f.NewStyle(&excelize.Style{Fill: fill(gradeFills[code]), Border: border, Alignment: &excelize.Alignment{WrapText: true, Vertical: "top", Horizontal: "center"}, Font: &excelize.Font{Bold: true}})
		if err != nil {
			return ss, err
		}
		ss.grades[code] = id
	}
	return ss, nil
}

// gradeStyle is the style of a grade cell.
func (ss sheetStyles) gradeStyle(code string, unreadable bool) int {
	if unreadable {
		return ss.grades[result.Reject]
	}
	if id, ok := ss.grades[code]; ok {
		return id
	}
	return ss.body
}
