package xlsximport

import (
	"fmt"

	"github.com/budgetcheck/budgetcheck/evaluator/submission"
)

// flat reads a flat export's project sheet, one project a row, and takes
// each project's indicator rows from the indicator sheets by 项目编码.
func (r *reader) flat(g *grid, indicators []*grid) []*rawProject {
	header, cols, _ := flatHeader(g, fCode, fName)
	byCode := map[string][]*rawProject{}
	var out []*rawProject
	for row := header + 1; row <= g.rows(); row++ {
		empty := true
		for c := 1; c <= g.cols(row); c++ {
			if g.clean(row, c) != "" {
				empty = false
			}
		}
		if empty {
			continue
		}
		sr := &sheetReader{file: r.file, g: g}
		rp := &rawProject{sr: sr, row: row, fields: map[string]fact{}, headers: map[string]string{}, projectPos: sr.pos(row, cols[fCode])}
		for field, col := range cols {
			rp.headers[field] = g.clean(header, col)
			rp.fields[field] = sr.read(row, col, "project."+field, rp.headers[field])
		}
		out = append(out, rp)
		code := rp.fields[fCode].text
		byCode[code] = append(byCode[code], rp)
	}
	for _, ig := range indicators {
		head, _ := indicatorSheet(ig)
		tcols, _ := tableHeader(ig, head)
		rowsOf := map[*rawProject][]tableRow{}
		for row := head + 1; row <= ig.rows(); row++ {
			code := ig.clean(row, tcols[cCode])
			p := pos(r.file, ig.sheet, row, tcols[cCode])
			if code == "" {
				blank := true
				for c := 1; c <= ig.cols(row); c++ {
					if ig.clean(row, c) != "" {
						blank = false
					}
				}
				if blank {
					r.warn(WarnBlankRow, p, "indicator row %d is blank: skipped (an indicator that does not apply says 不适用)", row)
				} else {
					r.warn(WarnUnknownProject, p, "indicator row %d has no 项目编码: skipped", row)
				}
				continue
			}
			owners := byCode[code]
			switch len(owners) {
			case 0:
				r.warn(WarnUnknownProject, p, "indicator row %d belongs to 项目编码 %q, which is not in the project list: skipped", row, code)
				continue
			case 1:
				rowsOf[owners[0]] = append(rowsOf[owners[0]], tableRow{row: row, cols: tcols})
			default:
				r.warn(WarnAmbiguousCode, p, "indicator row %d belongs to 项目编码 %q, which %d projects share (digits lost?): skipped", row, code, len(owners))
			}
		}
		for _, rp := range out {
			if rows := rowsOf[rp]; len(rows) > 0 {
				isr := &sheetReader{file: r.file, g: ig}
				rp.targets = append(rp.targets, targetsOf(isr, rows)...)
				if !rp.hasTable {
					rp.hasTable, rp.tablePos = true, isr.pos(rows[0].row, tcols[cL1])
				}
				rp.indicators = isr
			}
		}
	}
	for code, owners := range byCode {
		if len(owners) > 1 {
			for _, rp := range owners {
				rp.sr.warn(WarnAmbiguousCode, "project.code", rp.fields[fCode].pos, "项目编码 %q is shared by %d projects of the list; their indicator rows cannot be told apart and are skipped", code, len(owners))
			}
		}
	}
	return out
}

func (r *reader) warn(code string, p submission.Pos, format string, args ...any) {
	r.warnings = append(r.warnings, submission.Problem{Code: code, Pos: p, Message: fmt.Sprintf(format, args...)})
}
