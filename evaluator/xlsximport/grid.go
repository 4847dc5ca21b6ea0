package xlsximport

import (
	"fmt"
	"strings"
	"unicode"

	"github.com/xuri/excelize/v2"

	"github.com/budgetcheck/budgetcheck/evaluator/submission"
)

// grid is one sheet's cells, as shown (text) and as stored (raw), with its
// merged ranges. Rows and columns are 1-based, as in Excel.
type grid struct {
	sheet string
	text  [][]string
	raw   [][]string
	// mergedFrom maps a cell inside a merged range, other than its top-left
	// one, to that top-left cell.
	mergedFrom map[[2]int][2]int
	f          *excelize.File
}

func readGrid(f *excelize.File, sheet string) (*grid, error) {
	text, err := f.GetRows(sheet)
	if err != nil {
		return nil, err
	}
	raw, err := f.GetRows(sheet, excelize.Options{RawCellValue: true})
	if err != nil {
		return nil, err
	}
	g := &grid{sheet: sheet, text: text, raw: raw, mergedFrom: map[[2]int][2]int{}, f: f}
	merges, err := f.GetMergeCells(sheet, true)
	if err != nil {
		return nil, err
	}
	for _, m := range merges {
		c1, r1, err1 := excelize.CellNameToCoordinates(m.GetStartAxis())
		c2, r2, err2 := excelize.CellNameToCoordinates(m.GetEndAxis())
		if err1 != nil || err2 != nil {
			continue
		}
		for r := r1; r <= r2; r++ {
			for c := c1; c <= c2; c++ {
				if r != r1 || c != c1 {
					g.mergedFrom[[2]int{r, c}] = [2]int{r1, c1}
				}
			}
		}
	}
	return g, nil
}

func (g *grid) rows() int { return len(g.text) }

func (g *grid) cols(row int) int {
	if row < 1 || row > len(g.text) {
		return 0
	}
	return len(g.text[row-1])
}

// at is the cell as shown, untrimmed.
func (g *grid) at(row, col int) string {
	if row < 1 || row > len(g.text) || col < 1 || col > len(g.text[row-1]) {
		return ""
	}
	return g.text[row-1][col-1]
}

func (g *grid) rawAt(row, col int) string {
	if row < 1 || row > len(g.raw) || col < 1 || col > len(g.raw[row-1]) {
		return ""
	}
	return g.raw[row-1][col-1]
}

// clean is the cell as shown, trimmed.
func (g *grid) clean(row, col int) string { return trim(g.at(row, col)) }

// merged reports whether the cell continues a merged range started above it.
func (g *grid) mergedAbove(row, col int) bool {
	from, ok := g.mergedFrom[[2]int{row, col}]
	return ok && from[0] < row
}

// isNumber reports whether the cell holds a number rather than text.
func (g *grid) isNumber(row, col int) bool {
	name, err := excelize.CoordinatesToCellName(col, row)
	if err != nil {
		return false
	}
	t, err := g.f.GetCellType(g.sheet, name)
	return err == nil && (t == excelize.CellTypeNumber || t == excelize.CellTypeUnset && g.rawAt(row, col) != "")
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

// describeTrim says what trimming removed, for the warning.
func describeTrim(s string) string {
	var parts []string
	seen := map[string]bool{}
	note := func(name string) {
		if !seen[name] {
			seen[name] = true
			parts = append(parts, name)
		}
	}
	for _, edge := range []string{s[:len(s)-len(strings.TrimLeftFunc(s, isSpace))], s[len(strings.TrimRightFunc(s, isSpace)):]} {
		for _, r := range edge {
			switch r {
			case '\n', '\r':
				note("line break")
			case '\t':
				note("tab")
			case '\u3000':
				note("full-width space")
			case '\u00a0':
				note("non-breaking space")
			default:
				note("space")
			}
		}
	}
	return strings.Join(parts, ", ")
}

// fact is a cell read for a fact: its text trimmed, where it stands, and
// whether it is a number cell.
type fact struct {
	text    string
	raw     string
	pos     submission.Pos
	number  bool
	present bool // the cell exists (a label was found, or a column)
}

// sheetReader reads facts from one sheet and gathers the warnings.
type sheetReader struct {
	file     string
	g        *grid
	warnings submission.Problems
}

func (s *sheetReader) pos(row, col int) submission.Pos { return pos(s.file, s.g.sheet, row, col) }

func (s *sheetReader) warn(code, path string, p submission.Pos, format string, args ...any) {
	s.warnings = append(s.warnings, submission.Problem{Code: code, Path: path, Pos: p, Message: fmt.Sprintf(format, args...)})
}

// read reads the cell at row, col as the fact at path (for the warnings),
// trimming what surrounds the text and saying so.
func (s *sheetReader) read(row, col int, path, label string) fact {
	shown := s.g.at(row, col)
	f := fact{text: trim(shown), raw: trim(s.g.rawAt(row, col)), pos: s.pos(row, col), present: true}
	if f.text != "" {
		f.number = s.g.isNumber(row, col)
	}
	if f.text != shown && f.text != "" {
		s.warn(WarnWhitespace, path, f.pos, "%s %q has %s around its text: read as %q", label, shown, describeTrim(shown), f.text)
	}
	return f
}
