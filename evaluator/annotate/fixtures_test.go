package annotate_test

import (
	"context"
	"path/filepath"
	"strings"
	"testing"

	"github.com/xuri/excelize/v2"

	"github.com/budgetcheck/budgetcheck/evaluator/annotate"
	"github.com/budgetcheck/budgetcheck/evaluator/batch"
	"github.com/budgetcheck/budgetcheck/evaluator/submission"
	"github.com/budgetcheck/budgetcheck/evaluator/summary"
	"github.com/budgetcheck/budgetcheck/evaluator/xlsximport"
)

// Every committed workbook under fixtures/xlsx (the generated district
// folder too, when there is one) goes through a batch with annotated copies,
// as `budgetcheck batch --annotate` runs it: one copy per workbook whose
// values, formulas, merges and sheets are the source's, and one register row
// per project.
func TestEveryFixtureWorkbook(t *testing.T) {
	inputs, err := batch.Expand([]string{"../../fixtures/xlsx"}, xlsximport.IsWorkbook)
	if err != nil {
		t.Fatal(err)
	}
	var books []string
	for _, in := range inputs {
		if xlsximport.IsWorkbook(in) {
			books = append(books, in)
		}
	}
	if len(books) < 2 {
		t.Fatalf("workbooks %q: want form.xlsx and flat-2022.xlsx at least", books)
	}
	out, copies := t.TempDir(), t.TempDir()
	sink, err := annotate.NewBatch(out, copies, annotate.Options{Lang: "zh"})
	if err != nil {
		t.Fatal(err)
	}
	defer sink.Discard()
	sink.Root = annotate.Root(books)
	sink.Warn = func(input string, err error) { t.Errorf("%s: %v", input, err) }
	projects := 0
	st, err := batch.Run(context.Background(), engine(t), books, batch.Options{Workers: 2,
		IsWorkbook:   xlsximport.IsWorkbook,
		LoadWorkbook: func(p string) ([]*submission.Submission, error) { return xlsximport.Load(p, xlsximport.Options{}) },
	}, func(item batch.Item) error {
		projects += len(item.Docs)
		return sink.Add(item)
	})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := sink.Close(summary.Status{Inputs: st.Done, Total: st.Inputs}); err != nil {
		t.Fatal(err)
	}
	if sink.Copies != len(books) || sink.Failed != 0 {
		t.Errorf("%d copies, %d failed, want %d copies", sink.Copies, sink.Failed, len(books))
	}
	for _, book := range books {
		t.Run(filepath.Base(book), func(t *testing.T) {
			sameContent(t, book, annotate.CopyPath(copies, sink.Root, book))
		})
	}
	f, err := excelize.OpenFile(filepath.Join(out, annotate.RegisterName))
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	rows, err := f.GetRows("审核结果")
	if err != nil {
		t.Fatal(err)
	}
	if got := len(rows) - 3; got != projects {
		t.Errorf("register: %d rows, want one per project (%d)", got, projects)
	}
	found := false
	for _, r := range rows[3:] {
		if len(r) == 8 && r[1] == "510113210000002" {
			found = strings.HasPrefix(r[7], "1. 热线运行!F7：") && r[6] == "1"
		}
	}
	if !found {
		t.Errorf("register: no row for 510113210000002 with its note at 热线运行!F7")
	}
	letters, _ := filepath.Glob(filepath.Join(out, annotate.LetterPrefix+"*.html"))
	if len(letters) == 0 {
		t.Errorf("no letters")
	}
}
