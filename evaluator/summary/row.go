// Package summary writes the summaries of a batch review: summary.xlsx (汇总,
// 问题清单, 调整明细), summary.csv and summary.md. Rows arrive one at a time in
// input order and are spilled to a temporary file, so memory stays flat however
// large the batch; only a small index is kept to rank the rows by score.
// Money is normalised to 万元 with decimal arithmetic and never passes through
// float arithmetic.
package summary

import (
	"fmt"
	"strings"

	"github.com/shopspring/decimal"

	"github.com/budgetcheck/budgetcheck/evaluator/money"
	"github.com/budgetcheck/budgetcheck/evaluator/result"
	"github.com/budgetcheck/budgetcheck/evaluator/submission"
)

// Unit is the unit every amount of the summary is written in.
var Unit = money.WanYuan

// Row is one submission's line in the summary, with its findings and budget
// changes. Amounts are in Unit.
type Row struct {
	File string `json:"file"`
	// Sheet is the workbook sheet the project was read from ("" for YAML).
	Sheet       string           `json:"sheet,omitempty"`
	Project     string           `json:"project,omitempty"`
	Code        string           `json:"code,omitempty"`
	BudgetUnit  string           `json:"budget_unit,omitempty"`
	Requested   decimal.Decimal  `json:"requested"`
	Recommended decimal.Decimal  `json:"recommended"`
	Change      decimal.Decimal  `json:"change"`
	Score       *decimal.Decimal `json:"score,omitempty"`
	Conclusion  string           `json:"conclusion,omitempty"`
	ConclusionC string           `json:"conclusion_code,omitempty"`
	Errors      int              `json:"errors"`
	Warnings    int              `json:"warnings"`
	Infos       int              `json:"infos"`
	Failed      bool             `json:"failed"`
	// Review is a target review's grade (优 …) and ReviewCode its code;
	// Notes its numbered 审核意见, one a line.
	Review     string `json:"review,omitempty"`
	ReviewCode string `json:"review_code,omitempty"`
	Notes      string `json:"notes,omitempty"`
	// ImportWarnings counts what the workbook import had to interpret; each
	// is a row of 问题清单 too (repeats of one code collapsed).
	ImportWarnings int `json:"import_warnings,omitempty"`
	// UnitSuspect marks a request that looks like 元 written under 万元
	// (UnitMismatchCode): its amounts are shown but left out of the totals.
	UnitSuspect bool `json:"unit_suspect,omitempty"`
	// Error is why the submission could not be read or evaluated; such a row
	// has no score and no amounts.
	Error    string    `json:"error,omitempty"`
	Findings []Finding `json:"findings,omitempty"`
	Changes  []Change  `json:"changes,omitempty"`
}

// UnitMismatchCode is the finding that says a request is in the wrong unit
// (元 under a 万元 heading): such a row's amounts are not added to the
// totals, since adding 元 as 万元 inflates them ten thousand times.
const UnitMismatchCode = "COSTING_UNIT_MISMATCH"

// SeverityImport is the severity of a 问题清单 row that is an import warning.
const SeverityImport = "import"

// collapseAfter is how many warnings of one code a project lists before
// they become one row with a count.
const collapseAfter = 3

// Finding is one row of the 问题清单 sheet.
type Finding struct {
	Code       string          `json:"code"`
	Severity   string          `json:"severity"`
	Title      string          `json:"title"`
	Subject    string          `json:"subject"`
	Location   string          `json:"location"`
	Message    string          `json:"message"`
	Adjustment decimal.Decimal `json:"adjustment"`
}

// Change is one row of the 调整明细 sheet: a budget line whose recommended
// amount differs from the requested one.
type Change struct {
	Line        string          `json:"line"`
	Name        string          `json:"name"`
	Contract    string          `json:"contract,omitempty"`
	New         bool            `json:"new,omitempty"`
	Requested   decimal.Decimal `json:"requested"`
	Recommended decimal.Decimal `json:"recommended"`
	Change      decimal.Decimal `json:"change"`
}

// FromDocument makes the summary row of a result document. A document with
// errors (a file that did not load) gives an error row.
func FromDocument(doc *result.Document) Row {
	row := Row{File: doc.File, Failed: doc.Failed()}
	if len(doc.Errors) > 0 {
		row.Error = ErrorText(doc.Errors)
		return row
	}
	unit, ok := money.LookupUnit(doc.Budget.Unit)
	if !ok {
		unit = Unit
	}
	conv := func(d decimal.Decimal) decimal.Decimal { return convert(d, unit) }
	score := doc.Score.Total
	row.Project, row.Code, row.BudgetUnit = doc.Project.Name, doc.Project.Code, doc.Project.BudgetUnit
	row.Requested, row.Recommended, row.Change = conv(doc.Budget.Requested), conv(doc.Budget.Recommended), conv(doc.Budget.Change)
	row.Score = &score
	row.Conclusion, row.ConclusionC = doc.Conclusion.Text, doc.Conclusion.Code
	row.Errors, row.Warnings, row.Infos = doc.Summary.Errors, doc.Summary.Warnings, doc.Summary.Infos
	if r := doc.Review; r != nil {
		row.Review, row.ReviewCode = r.Grade, r.Code
		notes := make([]string, len(r.Notes))
		for i, n := range r.Notes {
			notes[i] = fmt.Sprintf("%d. %s", n.N, n.Text)
		}
		row.Notes = strings.Join(notes, "\n")
	}
	for _, f := range doc.Findings {
		if f.Waived != nil {
			continue
		}
		adj := decimal.Zero
		for _, a := range f.Adjustments {
			adj = adj.Add(conv(a.Amount))
		}
		row.UnitSuspect = row.UnitSuspect || f.Code == UnitMismatchCode
		row.Findings = append(row.Findings, Finding{
			Code: f.Code, Severity: f.Severity, Title: f.Title, Subject: f.Subject,
			Location: f.Location.String(), Message: f.Message, Adjustment: adj,
		})
	}
	for _, l := range doc.Budget.Lines {
		if l.Change.IsZero() {
			continue
		}
		row.Changes = append(row.Changes, Change{
			Line: l.ID, Name: l.Name, Contract: l.Contract, New: l.New,
			Requested: conv(l.Requested), Recommended: conv(l.Recommended), Change: conv(l.Change),
		})
	}
	return row
}

// AddImportWarnings lists the import's warnings of the row's project in
// lang: one 问题清单 row each, but more than collapseAfter of one code are
// one row naming the first cell and the count (a sheet with a stray cell at
// XFD1048576 gives one line, not a million).
func (r *Row) AddImportWarnings(ws submission.Problems, lang string, titles func(code string) string) {
	r.ImportWarnings += len(ws)
	count := map[string]int{}
	for _, w := range ws {
		count[w.Code]++
	}
	done := map[string]bool{}
	for _, w := range ws {
		w = w.In(lang)
		n := count[w.Code]
		if n > collapseAfter {
			if done[w.Code] {
				continue
			}
			done[w.Code] = true
			more := labels["more"].In(lang)
			w.Message += fmt.Sprintf(more, n)
		}
		r.Findings = append(r.Findings, Finding{Code: w.Code, Severity: SeverityImport, Title: titles(w.Code), Subject: w.Path, Location: w.Pos.String(), Message: w.Message})
	}
}

// ErrorRow is the row of a file that could not be read or evaluated.
func ErrorRow(file string, err error) Row {
	return Row{File: file, Failed: true, Error: err.Error()}
}

// ErrorText joins a submission's problems into one cell's text.
func ErrorText(ps []submission.Problem) string {
	s := ""
	for i, p := range ps {
		if i > 0 {
			s += "\n"
		}
		s += p.String()
	}
	return s
}

// convert rewrites an amount in unit u in Unit, exactly (through fen).
func convert(d decimal.Decimal, u money.Unit) decimal.Decimal {
	if u == Unit {
		return d
	}
	fen, err := money.ToFen(d, u)
	if err != nil {
		return d
	}
	return money.FromFen(fen, Unit)
}
