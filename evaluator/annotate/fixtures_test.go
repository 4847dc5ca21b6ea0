package annotate_test

import (
	"context"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"testing"

	"github.com/xuri/excelize/v2"

	"github.com/budgetcheck/budgetcheck/evaluator/annotate"
	"github.com/budgetcheck/budgetcheck/evaluator/batch"
	"github.com/budgetcheck/budgetcheck/evaluator/result"
	"github.com/budgetcheck/budgetcheck/evaluator/summary"
	"github.com/budgetcheck/budgetcheck/evaluator/xlsximport"
	"github.com/budgetcheck/budgetcheck/fixtures/xlsx/district"
)

// workbookProjects reads a workbook for batch.Run as the batch command does.
func workbookProjects(year int) func(string) ([]batch.Project, error) {
	return func(path string) ([]batch.Project, error) {
		wb, err := xlsximport.Import(path, xlsximport.Options{FiscalYear: year})
		if err != nil {
			return nil, err
		}
		out := make([]batch.Project, len(wb.Projects))
		for i, p := range wb.Projects {
			out[i] = batch.Project{Sheet: p.Sheet, Name: p.ProjectName, Code: p.ProjectCode, Submission: p.Submission, Problems: p.Problems, Warnings: p.Warnings}
		}
		return out, nil
	}
}

// batched is a batch of workbooks with annotated copies, as `budgetcheck
// batch --annotate` runs it.
type batched struct {
	out, copies string
	sink        *annotate.Batch
	docs        []*result.Document
}

func runBatch(t *testing.T, books []string, year int) *batched {
	t.Helper()
	b := &batched{out: t.TempDir(), copies: t.TempDir()}
	sink, err := annotate.NewBatch(b.out, b.copies, annotate.Options{Lang: "zh", FiscalYear: year})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(sink.Discard)
	sink.Root = annotate.Root(books)
	sink.Warn = func(input string, err error) { t.Errorf("%s: %v", input, err) }
	st, err := batch.Run(context.Background(), engines(t), books, batch.Options{Workers: 2,
		IsWorkbook: xlsximport.IsWorkbook, LoadWorkbook: workbookProjects(year),
	}, func(item batch.Item) error {
		b.docs = append(b.docs, item.Docs...)
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
			sameContent(t, book, annotate.CopyPath(b.copies, sink.Root, book))
		})
	}
	b.sink = sink
	return b
}

// register is the register's rows below its header.
func (b *batched) register(t *testing.T) [][]string {
	t.Helper()
	f, err := excelize.OpenFile(filepath.Join(b.out, annotate.RegisterName))
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	rows, err := f.GetRows("审核结果")
	if err != nil {
		t.Fatal(err)
	}
	var body [][]string
	for _, r := range rows[3:] {
		body = append(body, append(r, make([]string, 8-min(len(r), 8))...))
	}
	if len(body) != len(b.docs) {
		t.Errorf("register: %d rows, want one per project (%d)", len(body), len(b.docs))
	}
	return body
}

// rowOf is the register's row of a project.
func rowOf(body [][]string, code, name string) []string {
	for _, r := range body {
		if r[1] == code && r[2] == name {
			return r
		}
	}
	return nil
}

// Every committed workbook under fixtures/xlsx goes through a batch with
// annotated copies: one copy per workbook whose values, formulas, merges and
// sheets are the source's, and one register row per project.
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
	b := runBatch(t, books, 0)
	r := rowOf(b.register(t), "510113210000002", "政务服务热线运行项目")
	if r == nil || r[6] != "1" || !strings.Contains(r[7], "517100") {
		t.Errorf("register row of 510113210000002: %q, want its one note on 517100", r)
	}
	if letters, _ := filepath.Glob(filepath.Join(b.out, annotate.LetterPrefix+"*.html")); len(letters) == 0 {
		t.Errorf("no letters")
	}
}

// The generated district folder (15 workbooks, 300 projects, no year in
// them) reviewed with --fiscal-year 2023 and --annotate: one copy per
// workbook, each untouched; the refused project's 待定 cell red with its
// comment, and in the register as 无法评估 of its unit; a project of the
// 街道 that typed 元 under 万元 with its grade and numbered notes in the
// register and on its cells.
func TestDistrictFolder(t *testing.T) {
	books, err := district.Write(t.TempDir())
	if err != nil {
		t.Fatal(err)
	}
	if len(books) != district.Workbooks {
		t.Fatalf("%d workbooks", len(books))
	}
	b := runBatch(t, books, 2023)
	if len(b.docs) != district.Projects {
		t.Errorf("%d projects, want %d", len(b.docs), district.Projects)
	}
	body := b.register(t)
	grades := map[string]int{}
	for _, r := range body {
		grades[r[5]]++
		if !slices.Contains([]string{"优", "良", "中", "差", "无法评估"}, r[5]) {
			t.Errorf("register row %q: 审核结果 is no grade", r)
		}
	}
	t.Logf("grades: %v", grades)

	// The project whose 本年度项目金额 is 待定.
	f, err := excelize.OpenFile(filepath.Join(b.copies, district.RefusedBook))
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	cs, err := f.GetComments(district.RefusedSheet)
	if err != nil {
		t.Fatal(err)
	}
	cell := ""
	for _, c := range cs {
		if strings.Contains(commentText(c), "待定") {
			cell = c.Cell
		}
	}
	if cell == "" {
		t.Fatalf("%s!%s: no comment about 待定 (%d comments)", district.RefusedBook, district.RefusedSheet, len(cs))
	}
	if _, fill := fillAt(t, f, district.RefusedSheet, cell); fill != "FFC7CE" {
		t.Errorf("%s!%s fill %q, want FFC7CE (error)", district.RefusedSheet, cell, fill)
	}
	var refused []string
	for _, r := range body {
		if strings.HasPrefix(r[2], "公厕运行管理") && r[5] == "无法评估" {
			refused = r
		}
	}
	if refused == nil || !strings.Contains(refused[7], "待定") || refused[3] != "区城市管理局" {
		t.Errorf("register row of the refused project: %q", refused)
	}

	// The first project of the 街道 that typed 元 under 万元.
	var yuan district.Project
	for _, bk := range district.Books() {
		if bk.File == district.YuanBook {
			yuan = bk.Projects[0]
		}
	}
	var doc *result.Document
	for _, d := range b.docs {
		if d.Project.Name == yuan.Name && strings.HasSuffix(d.File, district.YuanBook) {
			doc = d
		}
	}
	if doc == nil {
		t.Fatalf("no document for %s in %s", yuan.Name, district.YuanBook)
	}
	if doc.Review == nil {
		t.Fatalf("%s: no target review", yuan.Name)
	}
	p := annotate.FromDocument(doc, "zh")
	row := rowOf(body, doc.Project.Code, doc.Project.Name)
	if len(p.Notes) == 0 || row == nil || row[5] != p.Grade || row[6] != strconv.Itoa(len(p.Notes)) || row[7] != p.Lines("zh") {
		t.Errorf("register row of %s: %q, want grade %q and its %d notes", yuan.Name, row, p.Grade, len(p.Notes))
	}
	y, err := excelize.OpenFile(filepath.Join(b.copies, district.YuanBook))
	if err != nil {
		t.Fatal(err)
	}
	defer y.Close()
	onCells := 0
	for _, n := range p.Notes {
		_, where, _ := strings.Cut(n.Location.File, "#")
		sheet, c, ok := strings.Cut(where, "!")
		if !ok || sheet != yuan.Sheet {
			continue
		}
		onCells++
		if s := commentAtCell(t, y, sheet, c); !strings.Contains(s, n.Text) {
			t.Errorf("%s!%s comment %q lacks note %d %q", sheet, c, s, n.N, n.Text)
		}
		if _, fill := fillAt(t, y, sheet, c); fill == "" {
			t.Errorf("%s!%s not filled", sheet, c)
		}
	}
	if onCells == 0 {
		t.Errorf("no note of %s on a cell of %s", yuan.Name, yuan.Sheet)
	}
}

func commentText(c excelize.Comment) string {
	s := c.Text
	for _, r := range c.Paragraph {
		s += r.Text
	}
	return s
}

// commentAtCell is the comment of a cell, or of the merged range it is in.
func commentAtCell(t *testing.T, f *excelize.File, sheet, cell string) string {
	t.Helper()
	merges, _ := f.GetMergeCells(sheet, true)
	col, row, _ := excelize.CellNameToCoordinates(cell)
	for _, m := range merges {
		c1, r1, _ := excelize.CellNameToCoordinates(m.GetStartAxis())
		c2, r2, _ := excelize.CellNameToCoordinates(m.GetEndAxis())
		if col >= c1 && col <= c2 && row >= r1 && row <= r2 {
			cell = m.GetStartAxis()
		}
	}
	return commentAt(t, f, sheet, cell)
}
