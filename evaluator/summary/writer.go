package summary

import (
	"cmp"
	"fmt"
	"path/filepath"
	"slices"
	"strings"

	"github.com/shopspring/decimal"

	"github.com/budgetcheck/budgetcheck/evaluator/output"
	"github.com/budgetcheck/budgetcheck/evaluator/result"
)

// File names the summaries are written under, in the output directory.
const (
	XLSXName = "summary.xlsx"
	CSVName  = "summary.csv"
	MDName   = "summary.md"
)

// Totals add up the rows; money with decimal arithmetic.
type Totals struct {
	Submissions int // rows
	Scored      int // rows that were evaluated
	Unreadable  int // error rows: could not be read or evaluated
	Failed      int // evaluated rows that fail the policy
	UnitSuspect int // evaluated rows whose amounts look like 元 under 万元: not in the sums
	Imports     int // import warnings
	Requested   decimal.Decimal
	Recommended decimal.Decimal
	Change      decimal.Decimal
	Errors      int
	Warnings    int
	Infos       int
	Findings    int             // rows of 问题清单
	Changes     int             // rows of 调整明细
	Adjustments decimal.Decimal // sum of the 调整明细 changes
	// Grades counts the target reviews by grade, best first (ReviewCodes),
	// and GradeNames holds the grades' names as the rows wrote them.
	Grades     [4]int
	GradeNames [4]string
}

// ReviewCodes are the grades of a target review, best first.
var ReviewCodes = [4]string{result.Excellent, result.Good, result.Fair, result.Poor}

// Reviewed is the number of rows that are target reviews.
func (t Totals) Reviewed() int { return t.Grades[0] + t.Grades[1] + t.Grades[2] + t.Grades[3] }

// GradeCounts writes the grade counts ("优 3、良 2、中 1、差 0") in lang, or
// "" when no row is a target review.
func (t Totals) GradeCounts(lang string) string {
	var parts []string
	reviewed := 0
	for i, n := range t.Grades {
		reviewed += n
		name := t.GradeNames[i]
		if name == "" {
			name = labels["grade."+ReviewCodes[i]].In(lang)
		}
		parts = append(parts, fmt.Sprintf("%s %d", name, n))
	}
	if reviewed == 0 {
		return ""
	}
	return strings.Join(parts, labels["list_sep"].In(lang))
}

// Status says how much of the batch the summary covers.
type Status struct {
	// Inputs is the number of input files processed, of Total.
	Inputs, Total int
	// Partial is set when the run was interrupted before every input was done.
	Partial bool
	// Skipped are the files the batch passed over (listed in every summary).
	Skipped []Skipped
}

// Writer collects rows and writes the summaries. Rows are spilled to a
// temporary file beside the outputs; Close writes the three summaries.
type Writer struct {
	dir    string
	lang   string
	spill  *output.Spill[Row]
	index  []entry
	totals Totals
}

// entry locates one spilled row and ranks it: 12 bytes of memory per row.
type entry struct {
	output.Ref
	score int32 // hundredths of a point; scoreNone for an error row
}

const scoreNone = -1 << 31

// Create starts the summaries of a batch that writes into dir.
func Create(dir, lang string) (*Writer, error) {
	spill, err := output.NewSpill[Row](dir, ".summary-*.spill")
	if err != nil {
		return nil, fmt.Errorf("summary: %w", err)
	}
	return &Writer{dir: dir, lang: lang, spill: spill}, nil
}

// Add appends one row. Rows must come in the order the detail sheets list
// them (the order of the inputs); the 汇总 sheet ranks them by score.
func (w *Writer) Add(row Row) error {
	ref, err := w.spill.Add(row)
	if err != nil {
		return fmt.Errorf("summary: %w", err)
	}
	e := entry{Ref: ref, score: scoreNone}
	t := &w.totals
	t.Submissions++
	if i := slices.Index(ReviewCodes[:], row.ReviewCode); i >= 0 {
		t.Grades[i]++
		t.GradeNames[i] = row.Review
	}
	if row.Score != nil {
		e.score = int32(row.Score.Shift(2).Round(0).IntPart())
		if i := slices.Index(ReviewCodes[:], row.ReviewCode); i >= 0 {
			e.score = int32(len(ReviewCodes) - i) // a review ranks by its grade
		}
		t.Scored++
		if row.UnitSuspect {
			t.UnitSuspect++
		} else {
			t.Requested = t.Requested.Add(row.Requested)
			t.Recommended = t.Recommended.Add(row.Recommended)
			t.Change = t.Change.Add(row.Change)
		}
		t.Errors += row.Errors
		t.Warnings += row.Warnings
		t.Infos += row.Infos
		if row.Failed {
			t.Failed++
		}
	} else {
		t.Unreadable++
	}
	t.Imports += row.ImportWarnings
	t.Findings += len(row.Findings)
	t.Changes += len(row.Changes)
	if !row.UnitSuspect {
		for _, c := range row.Changes {
			t.Adjustments = t.Adjustments.Add(c.Change)
		}
	}
	w.index = append(w.index, e)
	return nil
}

// Totals returns the totals of the rows added so far.
func (w *Writer) Totals() Totals { return w.totals }

// Close writes summary.xlsx, summary.csv and summary.md (each atomically)
// and removes the spill file.
func (w *Writer) Close(st Status) error {
	defer w.Discard()
	if err := w.spill.Flush(); err != nil {
		return fmt.Errorf("summary: %w", err)
	}
	ranked := slices.Clone(w.index)
	// Highest score first; equal scores and error rows keep the input order.
	slices.SortStableFunc(ranked, func(a, b entry) int { return cmp.Compare(b.score, a.score) })
	for _, write := range []func([]entry, Status) error{w.writeXLSX, w.writeCSV, w.writeMD} {
		if err := write(ranked, st); err != nil {
			return err
		}
	}
	return nil
}

// Discard removes the spill file without writing the summaries.
func (w *Writer) Discard() {
	w.spill.Discard()
}

// each reads the rows of entries back from the spill file.
func (w *Writer) each(entries []entry, fn func(Row) error) error {
	for _, e := range entries {
		row, err := w.spill.Get(e.Ref)
		if err != nil {
			return fmt.Errorf("summary: %w", err)
		}
		if err := fn(row); err != nil {
			return err
		}
	}
	return nil
}

func (w *Writer) path(name string) string { return filepath.Join(w.dir, name) }
