package summary

import (
	"bufio"
	"encoding/csv"
	"fmt"
	"strconv"
	"strings"

	"github.com/shopspring/decimal"

	"github.com/budgetcheck/budgetcheck/evaluator/output"
)

// bom lets Excel open the UTF-8 CSV with its Chinese intact.
const bom = "\ufeff"

func scoreText(s *decimal.Decimal) string {
	if s == nil {
		return ""
	}
	return s.StringFixed(2)
}

func (w *Writer) cells(rank int, r Row) []string {
	if r.Error != "" {
		return []string{"", r.File, r.Sheet, r.Code, r.Project, r.BudgetUnit, "", "", "", "", w.label("unreadable"), "", "", "", strconv.Itoa(r.ImportWarnings), r.Error, "", ""}
	}
	if r.ReviewCode != "" { // a target review: a grade and notes, no score or adjustment
		return []string{
			strconv.Itoa(rank), r.File, r.Sheet, r.Code, r.Project, r.BudgetUnit, r.Requested.String(), "", "", "", "",
			strconv.Itoa(r.Errors), strconv.Itoa(r.Warnings), strconv.Itoa(r.Infos), strconv.Itoa(r.ImportWarnings), w.note(r), r.Review, r.Notes,
		}
	}
	return []string{
		strconv.Itoa(rank), r.File, r.Sheet, r.Code, r.Project, r.BudgetUnit,
		r.Requested.String(), r.Recommended.String(), r.Change.String(), scoreText(r.Score), r.Conclusion,
		strconv.Itoa(r.Errors), strconv.Itoa(r.Warnings), strconv.Itoa(r.Infos), strconv.Itoa(r.ImportWarnings), w.note(r), "", "",
	}
}

// note is the last column of an evaluated row: why its amounts are not in
// the totals, if they are not.
func (w *Writer) note(r Row) string {
	if r.UnitSuspect {
		return w.label("suspect_row")
	}
	return ""
}

func (w *Writer) totalCells() []string {
	t := w.totals
	return []string{
		w.label("total"), "", "", "", w.count(), "",
		t.Requested.String(), t.Recommended.String(), t.Change.String(), "", "",
		strconv.Itoa(t.Errors), strconv.Itoa(t.Warnings), strconv.Itoa(t.Infos), strconv.Itoa(t.Imports), "", t.GradeCounts(w.lang), "",
	}
}

func (w *Writer) writeCSV(ranked []entry, st Status) error {
	return output.WriteFile(w.path(CSVName), func(bw *bufio.Writer) error {
		bw.WriteString(bom)
		cw := csv.NewWriter(bw)
		cw.Write(w.summaryHeader())
		rank := 0
		err := w.each(ranked, func(r Row) error {
			if r.Score != nil {
				rank++
			}
			return cw.Write(w.cells(rank, r))
		})
		if err != nil {
			return err
		}
		cw.Write(w.totalCells())
		if st.Partial {
			cw.Write([]string{w.status(st)})
		}
		w.writeSkippedCSV(cw, st)
		cw.Flush()
		return cw.Error()
	})
}

var mdEscaper = strings.NewReplacer("|", `\|`, "\r\n", "<br>", "\n", "<br>", "\r", "<br>")

func mdRow(bw *bufio.Writer, cells []string) {
	bw.WriteString("|")
	for _, c := range cells {
		bw.WriteString(" ")
		bw.WriteString(mdEscaper.Replace(c))
		bw.WriteString(" |")
	}
	bw.WriteString("\n")
}

func (w *Writer) writeMD(ranked []entry, st Status) error {
	return output.WriteFile(w.path(MDName), func(bw *bufio.Writer) error {
		t := w.totals
		title := w.label("title")
		if reviewed := t.Reviewed(); reviewed > 0 && reviewed == t.Scored {
			title = w.label("review_title")
		}
		fmt.Fprintf(bw, "# %s\n\n", title)
		if st.Partial {
			fmt.Fprintf(bw, "> **%s**\n\n", w.status(st))
		} else {
			fmt.Fprintf(bw, w.label("sentence")+"\n\n", w.status(st), w.count())
		}
		mdRow(bw, []string{w.label("requested"), w.label("recommended"), w.label("change"), w.label("errors"), w.label("warnings"), w.label("infos")})
		bw.WriteString("| ---: | ---: | ---: | ---: | ---: | ---: |\n")
		mdRow(bw, []string{t.Requested.String(), t.Recommended.String(), t.Change.String(), strconv.Itoa(t.Errors), strconv.Itoa(t.Warnings), strconv.Itoa(t.Infos)})
		bw.WriteString("\n")
		mdRow(bw, w.summaryHeader())
		bw.WriteString("| ---: | --- | --- | --- | --- | --- | ---: | ---: | ---: | ---: | --- | ---: | ---: | ---: | ---: | --- | --- | --- |\n")
		rank := 0
		err := w.each(ranked, func(r Row) error {
			if r.Score != nil {
				rank++
			}
			mdRow(bw, w.cells(rank, r))
			return nil
		})
		if err != nil {
			return err
		}
		mdRow(bw, w.totalCells())
		w.writeSkippedMD(bw, st)
		return nil
	})
}
