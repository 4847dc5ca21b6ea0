package summary

import (
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/shopspring/decimal"
	"github.com/xuri/excelize/v2"

	"github.com/budgetcheck/budgetcheck/evaluator/submission"
)

func dec(s string) decimal.Decimal { return decimal.RequireFromString(s) }

func scored(file, score, req, rec string, findings int) Row {
	s := dec(score)
	r := Row{File: file, Project: "项目" + file, BudgetUnit: "单位", Requested: dec(req), Recommended: dec(rec),
		Change: dec(rec).Sub(dec(req)), Score: &s, Conclusion: "调整后予以支持", Errors: 1, Warnings: 2}
	for i := range findings {
		r.Findings = append(r.Findings, Finding{Code: "X", Severity: "error", Title: "t", Location: file + ":1:1", Message: "m", Adjustment: dec("-0.000001").Mul(decimal.NewFromInt(int64(i + 1)))})
	}
	if !r.Change.IsZero() {
		r.Changes = append(r.Changes, Change{Line: "L1", Name: "n", Requested: dec(req), Recommended: dec(rec), Change: r.Change})
	}
	return r
}

func writeRows(t *testing.T, rows []Row, st Status) string {
	t.Helper()
	dir := t.TempDir()
	w, err := Create(dir, "zh")
	if err != nil {
		t.Fatal(err)
	}
	for _, r := range rows {
		if err := w.Add(r); err != nil {
			t.Fatal(err)
		}
	}
	if err := w.Close(st); err != nil {
		t.Fatal(err)
	}
	left, _ := filepath.Glob(filepath.Join(dir, ".*"))
	if len(left) > 0 {
		t.Errorf("temporary files left behind: %v", left)
	}
	return dir
}

// The workbook opens, ranks by score, and its totals row equals the sum of
// its rows, added up again here from the cells as read back.
func TestWorkbookTotalsReconcile(t *testing.T) {
	rows := []Row{
		scored("a.yaml", "70.13", "256.204", "222.445", 3),
		scored("b.yaml", "100", "0.1", "0.3", 0),
		ErrorRow("c.yaml", os.ErrNotExist),
		scored("d.yaml", "85.5", "1234567.8912", "1234567.891234", 1),
		scored("e.yaml", "85.5", "0.0001", "0.0001", 0),
	}
	dir := writeRows(t, rows, Status{Inputs: 5, Total: 5})
	f, err := excelize.OpenFile(filepath.Join(dir, XLSXName), excelize.Options{RawCellValue: true})
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	if got, want := f.GetSheetList(), []string{"汇总", "问题清单", "调整明细", "跳过"}; strings.Join(got, ",") != strings.Join(want, ",") {
		t.Fatalf("sheets %v, want %v", got, want)
	}
	sheet, err := f.GetRows("汇总")
	if err != nil {
		t.Fatal(err)
	}
	if len(sheet) != 1+5+1 {
		t.Fatalf("%d rows, want header + 5 + totals: %q", len(sheet), sheet)
	}
	var order []string
	sums := make([]decimal.Decimal, 3)
	for _, r := range sheet[1:6] {
		order = append(order, r[1])
		if r[0] == "" {
			continue // error row: no amounts
		}
		for i := range sums {
			sums[i] = sums[i].Add(dec(r[6+i]))
		}
	}
	if got := strings.Join(order, " "); got != "b.yaml d.yaml e.yaml a.yaml c.yaml" {
		t.Errorf("ranking %s; want by score, ties and errors in input order", got)
	}
	total := sheet[6]
	if total[0] != "合计" {
		t.Fatalf("last row %q is not the totals", total)
	}
	for i, want := range []string{"1234824.1953", "1234790.636334", "-33.558966"} {
		if !dec(total[6+i]).Equal(dec(want)) || !sums[i].Equal(dec(want)) {
			t.Errorf("total column %d: cell %s, rows add up to %s, want %s", 7+i, total[6+i], sums[i], want)
		}
	}
	if total[11] != "4" || total[12] != "8" {
		t.Errorf("error/warning totals %s/%s, want 4/8", total[11], total[12])
	}
	// The money cells are numbers with the money format.
	typ, _ := f.GetCellType("汇总", "H3")
	if typ != excelize.CellTypeNumber && typ != excelize.CellTypeUnset {
		t.Errorf("H3 has type %v, want a number", typ)
	}
	style, _ := f.GetCellStyle("汇总", "H3")
	if s, _ := f.GetStyle(style); s.CustomNumFmt == nil || *s.CustomNumFmt != MoneyFormat {
		t.Errorf("H3 is not formatted as money: %+v", s)
	}
	panes, _ := f.GetPanes("汇总")
	if !panes.Freeze || panes.YSplit != 1 {
		t.Errorf("header not frozen: %+v", panes)
	}
	names := f.GetDefinedName()
	filtered := false
	for _, n := range names {
		if n.Name == "_xlnm._FilterDatabase" && strings.Contains(n.RefersTo, "汇总") {
			filtered = strings.HasSuffix(n.RefersTo, "$R$6") // through the 审核结果 and 审核意见 columns
		}
	}
	if !filtered {
		t.Errorf("no autofilter over the header and the 5 rows: %+v", names)
	}

	findings, _ := f.GetRows("问题清单")
	if len(findings) != 1+4 {
		t.Errorf("问题清单 has %d rows, want header + 4 findings", len(findings))
	}
	changes, _ := f.GetRows("调整明细")
	sum := decimal.Zero
	for _, r := range changes[1:] {
		sum = sum.Add(dec(r[8]))
	}
	if !sum.Equal(dec("-33.558966")) {
		t.Errorf("调整明细 changes add up to %s, want the 汇总 total change", sum)
	}
}

func TestCSVHasBOMAndTotals(t *testing.T) {
	dir := writeRows(t, []Row{scored("a.yaml", "70.13", "256.204", "222.445", 0)}, Status{Inputs: 1, Total: 3, Partial: true})
	bs, err := os.ReadFile(filepath.Join(dir, CSVName))
	if err != nil {
		t.Fatal(err)
	}
	s := string(bs)
	if !strings.HasPrefix(s, "\ufeff排名,文件,") {
		t.Errorf("CSV does not start with a BOM and the header: %q", s[:20])
	}
	if !strings.Contains(s, "\n合计,,,,1 个项目（0 个无法评估，0 个未通过）,,256.204,222.445,-33.759,") {
		t.Errorf("CSV totals row missing:\n%s", s)
	}
	if !strings.Contains(s, "部分结果：运行被中断，已处理 1 / 3 个输入文件") {
		t.Errorf("partial CSV not marked:\n%s", s)
	}
	md, _ := os.ReadFile(filepath.Join(dir, MDName))
	if !strings.Contains(string(md), "> **部分结果") {
		t.Errorf("partial Markdown not marked:\n%s", md)
	}
}

func TestNumberIsExact(t *testing.T) {
	for _, s := range []string{"222.445", "-33.759", "0.000001", "1234567.891234", "0"} {
		if got := Number(dec(s)); got.(float64) != mustFloat(s) {
			t.Errorf("Number(%s) = %v", s, got)
		}
	}
	if got, ok := Number(dec("12345678901234567.891")).(string); !ok || got != "12345678901234567.891" {
		t.Errorf("an amount a float cannot hold must stay text, got %v", got)
	}
}

func mustFloat(s string) float64 {
	f, _ := decimal.RequireFromString(s).Float64()
	return f
}

// A project whose request looks like 元 under 万元 is listed with its
// amounts but not added to the totals; the count line says so.
func TestUnitSuspectRowsAreNotAdded(t *testing.T) {
	good := scored("a.xlsx", "80", "51.71", "51.71", 0)
	bad := scored("b.xlsx", "80", "517100", "517100", 0)
	bad.UnitSuspect = true
	dir := writeRows(t, []Row{good, bad}, Status{Inputs: 2, Total: 2})
	bs, err := os.ReadFile(filepath.Join(dir, CSVName))
	if err != nil {
		t.Fatal(err)
	}
	want := "\n合计,,,,2 个项目（0 个无法评估，0 个未通过）；1 个项目金额单位存疑（疑似以元填入万元栏），金额未计入合计,,51.71,51.71,0,"
	if !strings.Contains(string(bs), want) {
		t.Errorf("CSV totals: want %q in\n%s", want, bs)
	}
	// (the row ends with the empty 审核结果 and 审核意见 of a pre-evaluation)
	if !strings.Contains(string(bs), "金额单位存疑（疑似以元填入万元栏），未计入合计,,\r\n") && !strings.Contains(string(bs), "金额单位存疑（疑似以元填入万元栏），未计入合计,,\n") {
		t.Errorf("the suspect row does not say why it is not added:\n%s", bs)
	}
}

// Import warnings are 问题清单 rows with their cell; more than a few of one
// code are one row with the count.
func TestImportWarningsCollapse(t *testing.T) {
	r := scored("book.xlsx", "80", "1", "1", 0)
	r.Sheet, r.Code = "热线运行", "510113210000002"
	var ws submission.Problems
	ws = append(ws, submission.Problem{Code: "xlsx_whitespace", Pos: submission.Pos{File: "book.xlsx#热线运行!B3", Line: 3, Column: 2}, Message: "trimmed", Zh: "已去除空白"})
	for i := range 1000 {
		ws = append(ws, submission.Problem{Code: "xlsx_blank_row", Pos: submission.Pos{File: fmt.Sprintf("book.xlsx#热线运行!A%d", 20+i), Line: 20 + i, Column: 1}, Message: "blank", Zh: "空行"})
	}
	r.AddImportWarnings(ws, "zh", func(string) string { return "导入" })
	if r.ImportWarnings != 1001 || len(r.Findings) != 2 {
		t.Fatalf("%d warnings in %d rows, want 1001 in 2", r.ImportWarnings, len(r.Findings))
	}
	if f := r.Findings[1]; f.Location != "book.xlsx#热线运行!A20:20:1" || f.Message != "空行（同类警告共 1000 条，仅列首条）" || f.Severity != SeverityImport {
		t.Errorf("collapsed row %+v", f)
	}
	dir := writeRows(t, []Row{r}, Status{Inputs: 1, Total: 1})
	f, err := excelize.OpenFile(filepath.Join(dir, XLSXName))
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	rows, _ := f.GetRows("问题清单")
	if len(rows) != 3 || rows[1][1] != "热线运行" || rows[1][2] != "510113210000002" || rows[1][5] != "导入警告" {
		t.Errorf("问题清单 %q", rows)
	}
	sum, _ := f.GetRows("汇总")
	if sum[1][2] != "热线运行" || sum[1][3] != "510113210000002" || sum[1][14] != "1001" {
		t.Errorf("汇总 row %q", sum[1])
	}
}

// TestSkippedInEverySummary: each passed-over file is listed with its reason
// in the workbook's 跳过 sheet, the CSV and the Markdown.
func TestSkippedInEverySummary(t *testing.T) {
	skipped := []Skipped{{File: "in/fifo.yaml", Reason: "不是普通文件"}, {File: "in/expected.json", Reason: "budgetcheck.result/v1 文档，不是申报文件"}}
	dir := writeRows(t, []Row{scored("a.yaml", "90", "1", "1", 0)}, Status{Inputs: 1, Total: 1, Skipped: skipped})
	f, err := excelize.OpenFile(filepath.Join(dir, XLSXName))
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	rows, err := f.GetRows("跳过")
	if err != nil {
		t.Fatal(err)
	}
	if len(rows) != 3 || rows[1][0] != "in/fifo.yaml" || rows[2][1] != skipped[1].Reason {
		t.Errorf("跳过 sheet: %q", rows)
	}
	for _, name := range []string{CSVName, MDName} {
		bs, err := os.ReadFile(filepath.Join(dir, name))
		if err != nil {
			t.Fatal(err)
		}
		for _, want := range []string{"跳过 2 个文件", "in/fifo.yaml", "不是普通文件", "in/expected.json"} {
			if !strings.Contains(string(bs), want) {
				t.Errorf("%s does not say %q:\n%s", name, want, bs)
			}
		}
	}
	dir = writeRows(t, []Row{scored("a.yaml", "90", "1", "1", 0)}, Status{Inputs: 1, Total: 1})
	bs, _ := os.ReadFile(filepath.Join(dir, MDName))
	if !strings.Contains(string(bs), "没有跳过任何文件") {
		t.Errorf("the Markdown does not say that nothing was skipped:\n%s", bs)
	}
}
