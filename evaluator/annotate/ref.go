package annotate

import (
	"strings"

	"github.com/xuri/excelize/v2"
)

// ref is a place in a workbook: a sheet, and a cell in it unless the
// position names the whole sheet.
type ref struct {
	sheet    string
	cell     string
	col, row int
}

// String is the reference as Excel writes it: 道路养护!D14, 'My sheet'!A1.
func (r ref) String() string { return quote(r.sheet) + "!" + r.cell }

// parseRef reads the workbook part of a fact's position, "book.xlsx#Sheet!C12"
// or "book.xlsx#'My sheet'!C12" (or "book.xlsx#Sheet" for a whole sheet).
// The file's own name may hold a '#': the first one after which a sheet
// reference follows is taken.
func parseRef(file string) (ref, bool) {
	for i := strings.IndexByte(file, '#'); i >= 0; {
		if r, ok := parseSheetRef(file[i+1:]); ok {
			return r, true
		}
		j := strings.IndexByte(file[i+1:], '#')
		if j < 0 {
			break
		}
		i += 1 + j
	}
	return ref{}, false
}

func parseSheetRef(s string) (ref, bool) {
	var sheet, rest string
	if strings.HasPrefix(s, "'") {
		// 'It''s'!A1: a doubled quote is a quote.
		var b strings.Builder
		i := 1
		for ; i < len(s); i++ {
			if s[i] == '\'' {
				if i+1 < len(s) && s[i+1] == '\'' {
					b.WriteByte('\'')
					i++
					continue
				}
				break
			}
			b.WriteByte(s[i])
		}
		if i >= len(s) {
			return ref{}, false
		}
		sheet, rest = b.String(), s[i+1:]
	} else if k := strings.LastIndexByte(s, '!'); k >= 0 {
		sheet, rest = s[:k], s[k:]
	} else {
		sheet = s
	}
	if sheet == "" {
		return ref{}, false
	}
	if rest == "" {
		return ref{sheet: sheet}, true
	}
	cell, ok := strings.CutPrefix(rest, "!")
	if !ok {
		return ref{}, false
	}
	col, row, err := excelize.CellNameToCoordinates(cell)
	if err != nil {
		return ref{}, false
	}
	return ref{sheet: sheet, cell: cell, col: col, row: row}, true
}

// quote writes a sheet name the way Excel does in references: quoted unless
// it holds only letters, digits, '_', '.' and CJK characters.
func quote(sheet string) string {
	for _, r := range sheet {
		if !(r == '_' || r == '.' || r >= '0' && r <= '9' || r >= 'A' && r <= 'Z' || r >= 'a' && r <= 'z' || r > 0x2E80) {
			return "'" + strings.ReplaceAll(sheet, "'", "''") + "'"
		}
	}
	return sheet
}
