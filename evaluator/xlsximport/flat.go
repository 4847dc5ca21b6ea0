package xlsximport

import (
	"github.com/budgetcheck/budgetcheck/evaluator/submission"
)

// flat reads a flat export's project sheet, one project a row, and takes
// each project's indicator rows from the indicator sheets by 项目编码.
func (r *reader) flat(g *grid, indicators []*grid) []*rawProject {
	header, cols, _ := flatHeader(g, fCode, fName)
	byCode := map[string][]*rawProject{}
	var out []*rawProject
	for row := header + 1; row <= g.rows(); row++ {
		if g.blank(row) {
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
			if ig.blank(row) {
				continue // a flat list has no slots: blank rows are no indicator
			}
			if code == "" {
				r.warn(WarnUnknownProject, p, say("indicator row %d has no 项目编码: skipped", "指标第 %d 行没有项目编码：跳过", row))
				continue
			}
			owners := byCode[code]
			switch len(owners) {
			case 0:
				r.warn(WarnUnknownProject, p, say("indicator row %d belongs to 项目编码 %q, which is not in the project list: skipped", "指标第 %d 行的项目编码“%s”不在项目清单中：跳过", row, code))
				continue
			case 1:
				rowsOf[owners[0]] = append(rowsOf[owners[0]], tableRow{row: row, cols: tcols})
			default:
				r.warn(WarnAmbiguousCode, p, say("indicator row %d belongs to 项目编码 %q, which %d projects share (digits lost?): skipped", "指标第 %d 行的项目编码“%s”有 %d 个项目共用（位数丢失？）：跳过", row, code, len(owners)))
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
				rp.sr.warn(WarnAmbiguousCode, "project.code", rp.fields[fCode].pos, say("项目编码 %q is shared by %d projects of the list; their indicator rows cannot be told apart and are skipped", "项目编码“%s”有 %d 个项目共用，其指标行无法区分，已跳过", code, len(owners)))
			}
		}
	}
	return out
}

func (r *reader) warn(code string, p submission.Pos, m msg) {
	r.warnings = append(r.warnings, m.problem(code, "", p))
}
