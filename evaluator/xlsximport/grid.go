package xlsximport

import (
	"archive/zip"
	"encoding/xml"
	"fmt"
	"io"
	"path"
	"strconv"
	"strings"
	"unicode"

	"github.com/xuri/excelize/v2"

	"github.com/budgetcheck/budgetcheck/evaluator/submission"
)

// cell is one cell of a sheet: its text as shown, its value as stored, and
// what kind of cell holds it.
type cell struct {
	text    string // as shown (number formats applied)
	raw     string // as stored: <v> for numbers, the text for strings
	number  bool   // a number cell (t="n" or no type)
	date    bool   // a number cell with a date or time format
	percent bool   // a number cell with a percent format
	formula bool   // the cell holds a formula (text and raw are its cached value)
}

// grid is one sheet's cells, read as a stream: only the rows that hold a
// cell are kept, so that a sheet with one cell at XFD1048576 costs one row.
// Rows and columns are 1-based, as in Excel.
type grid struct {
	sheet string
	cells map[int][]cell // row → its cells up to the last one kept
	last  int            // the last row that holds a cell
	// merges lists the merged ranges by each column they cover (at most
	// wideMerge columns; wider ones are in wide).
	merges map[int][]mergeRange
	wide   []mergeRange
}

type mergeRange struct{ r1, c1, r2, c2 int }

// wideMerge is the widest merged range indexed by column.
const wideMerge = 64

// sheetParts maps each sheet name to its part in the package
// (xl/worksheets/sheet1.xml), from xl/workbook.xml and its relationships.
func sheetParts(files map[string]*zip.File) (map[string]string, error) {
	var wb struct {
		Sheets []struct {
			Name string `xml:"name,attr"`
			ID   string `xml:"id,attr"` // r:id, in the transitional or the strict namespace
		} `xml:"sheets>sheet"`
	}
	var rels struct {
		Rels []struct {
			ID     string `xml:"Id,attr"`
			Target string `xml:"Target,attr"`
		} `xml:"Relationship"`
	}
	if err := decodePart(files, "xl/workbook.xml", &wb); err != nil {
		return nil, err
	}
	if err := decodePart(files, "xl/_rels/workbook.xml.rels", &rels); err != nil {
		return nil, err
	}
	targets := map[string]string{}
	for _, r := range rels.Rels {
		t := r.Target
		if strings.HasPrefix(t, "/") {
			t = strings.TrimPrefix(t, "/")
		} else {
			t = path.Join("xl", t)
		}
		targets[r.ID] = t
	}
	out := map[string]string{}
	for _, s := range wb.Sheets {
		out[s.Name] = targets[s.ID]
	}
	return out, nil
}

func decodePart(files map[string]*zip.File, name string, v any) error {
	zf := files[strings.ToLower(name)]
	if zf == nil {
		return fmt.Errorf("%s is missing", name)
	}
	rc, err := zf.Open()
	if err != nil {
		return err
	}
	defer rc.Close()
	return xml.NewDecoder(rc).Decode(v)
}

// readGrid streams a sheet twice: its XML part for what each cell stores
// (type, value, formula, style, merged ranges), then excelize's row iterator
// for the text as shown. Neither holds more than the cells themselves.
func (r *reader) readGrid(sheet string) (*grid, error) {
	g := &grid{sheet: sheet, cells: map[int][]cell{}, merges: map[int][]mergeRange{}}
	part := r.parts[sheet]
	zf := r.files[strings.ToLower(part)]
	if zf == nil {
		return nil, fmt.Errorf("part %s is missing", part)
	}
	rc, err := zf.Open()
	if err != nil {
		return nil, err
	}
	err = r.scanSheet(g, rc)
	rc.Close()
	if err != nil {
		return nil, fmt.Errorf("%s: %w", part, err)
	}
	rows, err := r.f.Rows(sheet)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	for row := 1; rows.Next() && row <= g.last; row++ {
		kept := g.cells[row]
		if kept == nil {
			continue
		}
		shown, err := rows.Columns()
		if err != nil {
			return nil, err
		}
		for c := range min(len(shown), len(kept)) {
			kept[c].text = shown[c]
			if !kept[c].number && !kept[c].date {
				kept[c].raw = shown[c] // a shared or inline string: its index is no value
			}
		}
	}
	// Keep only what has text, so that cols and rows end at the last value.
	for row, cs := range g.cells {
		n := len(cs)
		for n > 0 && cs[n-1].text == "" && !cs[n-1].formula {
			n--
		}
		if n == 0 {
			delete(g.cells, row)
			continue
		}
		g.cells[row] = cs[:n]
	}
	g.last = 0
	for row := range g.cells {
		g.last = max(g.last, row)
	}
	return g, nil
}

// scanSheet reads the <sheetData> cells and <mergeCells> of a sheet part.
func (r *reader) scanSheet(g *grid, in io.Reader) error {
	d := xml.NewDecoder(in)
	row, col := 0, 0
	var cur *cell
	var curRow, curCol int
	inValue := false
	var value strings.Builder
	for {
		tok, err := d.RawToken() // no namespace bookkeeping, no copies: the cells are plain
		if err == io.EOF {
			return nil
		}
		if err != nil {
			return err
		}
		switch t := tok.(type) {
		case xml.StartElement:
			switch t.Name.Local {
			case "row":
				row++
				if n, err := strconv.Atoi(attr(t, "r")); err == nil && n > 0 {
					row = n
				}
				if row > excelize.TotalRows {
					return fmt.Errorf("row %d is beyond Excel's last row %d", row, excelize.TotalRows)
				}
				col = 0
			case "c":
				col++
				if ref := attr(t, "r"); ref != "" {
					c, rw, err := excelize.CellNameToCoordinates(ref)
					if err != nil {
						return fmt.Errorf("cell %q: %w", ref, err)
					}
					col, row = c, rw
				}
				if col > excelize.MaxColumns {
					return fmt.Errorf("column %d is beyond Excel's last column", col)
				}
				cur, curRow, curCol = &cell{}, row, col
				typ := attr(t, "t")
				cur.number = typ == "" || typ == "n"
				if cur.number {
					if s, err := strconv.Atoi(attr(t, "s")); err == nil && s > 0 {
						cur.date, cur.percent = r.format(s)
					}
				}
				if typ == "d" {
					cur.number, cur.date = false, true
				}
				value.Reset()
			case "f":
				if cur != nil {
					cur.formula = true
				}
			case "v":
				inValue = cur != nil
			case "mergeCell":
				ref := attr(t, "ref")
				from, to, _ := strings.Cut(ref, ":")
				c1, r1, err1 := excelize.CellNameToCoordinates(from)
				c2, r2, err2 := excelize.CellNameToCoordinates(to)
				if err1 != nil || err2 != nil || to == "" {
					continue
				}
				m := mergeRange{min(r1, r2), min(c1, c2), max(r1, r2), max(c1, c2)}
				if m.c2-m.c1 >= wideMerge {
					g.wide = append(g.wide, m)
					continue
				}
				for c := m.c1; c <= m.c2; c++ {
					g.merges[c] = append(g.merges[c], m)
				}
			}
		case xml.CharData:
			if inValue {
				value.Write(t)
			}
		case xml.EndElement:
			switch t.Name.Local {
			case "v":
				inValue = false
			case "c":
				if cur == nil {
					continue
				}
				cur.raw = value.String()
				if cur.raw != "" || cur.formula || !cur.number {
					cs := g.cells[curRow]
					if len(cs) < curCol {
						cs = append(cs, make([]cell, curCol-len(cs))...)
					}
					cs[curCol-1] = *cur
					g.cells[curRow] = cs
					g.last = max(g.last, curRow)
				}
				cur = nil
			}
		}
	}
}

func attr(e xml.StartElement, name string) string {
	for _, a := range e.Attr {
		if a.Name.Local == name {
			return a.Value
		}
	}
	return ""
}

// format reports whether a cell style shows numbers as dates (or times) or
// as percentages.
func (r *reader) format(style int) (date, percent bool) {
	if f, ok := r.formats[style]; ok {
		return f[0], f[1]
	}
	st, err := r.f.GetStyle(style)
	if err == nil {
		code := ""
		if st.CustomNumFmt != nil {
			code = *st.CustomNumFmt
		}
		date, percent = numFmtKind(st.NumFmt, code)
	}
	r.formats[style] = [2]bool{date, percent}
	return date, percent
}

// numFmtKind classifies a number format: built-in ids 14–22, 27–36, 45–47
// and 50–58 are dates and times, 9 and 10 percentages; a custom format is a
// date when, outside quotes and brackets, it has y, d, h or an m that is no
// digit placeholder's neighbour.
func numFmtKind(id int, code string) (date, percent bool) {
	switch {
	case id >= 14 && id <= 22, id >= 27 && id <= 36, id >= 45 && id <= 47, id >= 50 && id <= 58:
		return true, false
	case id == 9 || id == 10:
		return false, true
	}
	if code == "" {
		return false, false
	}
	var plain strings.Builder
	quoted, bracket := false, false
	for _, c := range code {
		switch {
		case c == '"':
			quoted = !quoted
		case quoted:
		case c == '[':
			bracket = true
		case c == ']':
			bracket = false
		case !bracket:
			plain.WriteRune(unicode.ToLower(c))
		}
	}
	s := plain.String()
	percent = strings.Contains(s, "%")
	date = strings.ContainsAny(s, "ydh") || strings.Contains(s, "m") && !strings.ContainsAny(s, "0#")
	return date, percent
}

func (g *grid) rows() int { return g.last }

func (g *grid) cols(row int) int { return len(g.cells[row]) }

func (g *grid) get(row, col int) cell {
	cs := g.cells[row]
	if col < 1 || col > len(cs) {
		return cell{}
	}
	return cs[col-1]
}

// at is the cell as shown, untrimmed.
func (g *grid) at(row, col int) string { return g.get(row, col).text }

// blank reports whether a row holds no text at all.
func (g *grid) blank(row int) bool { return len(g.cells[row]) == 0 }

// clean is the cell as shown, trimmed.
func (g *grid) clean(row, col int) string { return trim(g.at(row, col)) }

// mergedAbove reports whether the cell continues a merged range started above it.
func (g *grid) mergedAbove(row, col int) bool {
	in := func(ms []mergeRange) bool {
		for _, m := range ms {
			if m.r1 < row && row <= m.r2 && m.c1 <= col && col <= m.c2 {
				return true
			}
		}
		return false
	}
	return in(g.merges[col]) || in(g.wide)
}

func isSpace(r rune) bool {
	return unicode.IsSpace(r) || r == '\u3000' || r == '\u00a0' || r == '\ufeff'
}

func trim(s string) string { return strings.TrimFunc(s, isSpace) }

// squash removes every space, for comparing labels and headers.
func squash(s string) string {
	return strings.Map(func(r rune) rune {
		if isSpace(r) {
			return -1
		}
		return r
	}, s)
}

// describeTrim says what trimming removed, for the warning, in English and
// in Chinese.
func describeTrim(s string) (en, zh string) {
	var parts, zhParts []string
	seen := map[string]bool{}
	note := func(name, zhName string) {
		if !seen[name] {
			seen[name] = true
			parts = append(parts, name)
			zhParts = append(zhParts, zhName)
		}
	}
	for _, edge := range []string{s[:len(s)-len(strings.TrimLeftFunc(s, isSpace))], s[len(strings.TrimRightFunc(s, isSpace)):]} {
		for _, r := range edge {
			switch r {
			case '\n', '\r':
				note("line break", "换行")
			case '\t':
				note("tab", "制表符")
			case '\u3000':
				note("full-width space", "全角空格")
			case '\u00a0':
				note("non-breaking space", "不换行空格")
			default:
				note("space", "空格")
			}
		}
	}
	return strings.Join(parts, ", "), strings.Join(zhParts, "、")
}

// fact is a cell read for a fact: its text trimmed, where it stands, and
// what kind of cell held it.
type fact struct {
	text    string
	raw     string
	pos     submission.Pos
	number  bool
	date    bool
	formula bool // a formula without a stored result when text is ""
	present bool // the cell exists (a label was found, or a column)
}

// sheetReader reads facts from one sheet and gathers the warnings.
type sheetReader struct {
	file     string
	g        *grid
	warnings submission.Problems
}

func (s *sheetReader) pos(row, col int) submission.Pos { return pos(s.file, s.g.sheet, row, col) }

func (s *sheetReader) warn(code, path string, p submission.Pos, m msg) {
	s.warnings = append(s.warnings, m.problem(code, path, p))
}

// read reads the cell at row, col as the fact at path (for the warnings),
// trimming what surrounds the text and saying so. A formula whose result the
// workbook did not store is a warning naming the cell.
func (s *sheetReader) read(row, col int, path, label string) fact {
	c := s.g.get(row, col)
	label = strings.TrimRight(label, "：:")
	shown := c.text
	f := fact{text: trim(shown), raw: trim(c.raw), pos: s.pos(row, col), present: true, formula: c.formula}
	if f.text != "" {
		f.number, f.date = c.number, c.date
	}
	if f.text != shown && f.text != "" {
		en, zh := describeTrim(shown)
		s.warn(WarnWhitespace, path, f.pos, say("%s %q has %s around its text: read as %q", "%s %q 前后有%s：按 %q 读取", label, shown, en, f.text).zhArgs(label, shown, zh, f.text))
	}
	if c.formula && f.text == "" {
		s.warn(WarnFormulaNoValue, path, f.pos, say("%s is a formula whose result the workbook did not store: open and save it in Excel or WPS", "%s是公式，但工作簿没有保存其计算结果：请在 Excel 或 WPS 中打开并保存后再导入", label))
	}
	return f
}
