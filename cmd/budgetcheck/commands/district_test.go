package commands_test

import (
	"encoding/csv"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/shopspring/decimal"

	"github.com/budgetcheck/budgetcheck/cmd/budgetcheck/commands"
	"github.com/budgetcheck/budgetcheck/fixtures/xlsx/district"
)

// A district's export as the budget system writes it (15 workbooks, 300
// projects, no year anywhere): the batch asks for --fiscal-year once, then
// evaluates every readable project; the one refused project is one error
// row; the 街道 that typed 元 under 万元 does not inflate the totals.
func TestBatchOverADistrictsExport(t *testing.T) {
	// What the folder must give, written down before running it.
	const (
		files      = 15
		projects   = 300
		refused    = 1
		evaluated  = projects - refused
		unitSusp   = 20 // the 街道's projects
		sharedRows = 16
	)
	dir := filepath.Join(t.TempDir(), "export")
	if _, err := district.Write(dir); err != nil {
		t.Fatal(err)
	}
	overlay := "--data=../../../fixtures/xlsx/targets-review.data"

	out := filepath.Join(t.TempDir(), "review")
	stdout, stderr, code := importMain(t, "batch", "--quiet", overlay, "--out", out, dir)
	if code != commands.ExitInput || strings.Count(stderr, "无法确定预算年度") != 1 || !strings.Contains(stderr, "无法确定预算年度：15 个工作簿中的 300 个项目") || !strings.Contains(stderr, "请用 --fiscal-year 指定") {
		t.Fatalf("without --fiscal-year: exit %d, want 2 with one message naming --fiscal-year:\n%s%s", code, stdout, stderr)
	}
	if _, err := os.Stat(filepath.Join(out, "summary.xlsx")); err == nil {
		t.Error("the refused batch evaluated anyway: summary.xlsx written")
	}

	stdout, stderr, code = importMain(t, "batch", "--quiet", "--fiscal-year", "2023", overlay, "--out", out, dir)
	if code != commands.ExitInput {
		t.Fatalf("exit %d, want 2 (one project cannot be read):\n%s%s", code, stdout, stderr)
	}
	for _, want := range []string{"300 个项目（15 个文件）", "1 个无法评估", "（另有 20 个项目金额单位存疑，未计入）"} {
		if !strings.Contains(stdout, want) {
			t.Errorf("summary line lacks %q:\n%s", want, stdout)
		}
	}
	rows := readSummaryCSV(t, filepath.Join(out, "summary.csv"))
	head, body, total := rows[0], rows[1:len(rows)-1], rows[len(rows)-1]
	col := map[string]int{}
	for i, h := range head {
		col[h] = i
	}
	if len(body) != projects {
		t.Fatalf("%d rows, want one per project: %d", len(body), projects)
	}
	var ranked, errorRows, suspect, shared int
	seenFiles := map[string]bool{}
	sheets := map[string]bool{}
	sum := decimal.Zero
	for _, r := range body {
		seenFiles[r[col["文件"]]] = true
		if r[col["项目名称"]] == district.SharedName {
			shared++
			sheets[r[col["文件"]]+"#"+r[col["工作表"]]] = true
		}
		if r[col["排名"]] == "" {
			errorRows++
			if filepath.Base(r[col["文件"]]) != district.RefusedBook || r[col["工作表"]] != district.RefusedSheet ||
				!strings.Contains(r[col["无法评估的原因"]], "#"+district.RefusedSheet+"!E6") || !strings.Contains(r[col["无法评估的原因"]], "本年度项目金额“待定”") {
				t.Errorf("error row %q: want %s, sheet %s, cell E6, in Chinese", r, district.RefusedBook, district.RefusedSheet)
			}
			continue
		}
		ranked++
		if strings.Contains(r[col["无法评估的原因"]], "金额单位存疑") {
			suspect++
			if filepath.Base(r[col["文件"]]) != district.YuanBook {
				t.Errorf("unit doubted outside the 街道: %q", r)
			}
			continue
		}
		sum = sum.Add(decimal.RequireFromString(r[col["申报金额（万元）"]]))
	}
	if ranked != evaluated || errorRows != refused || suspect != unitSusp || len(seenFiles) != files {
		t.Errorf("%d evaluated, %d error rows, %d unit doubted, %d files; want %d, %d, %d, %d", ranked, errorRows, suspect, len(seenFiles), evaluated, refused, unitSusp, files)
	}
	if shared != sharedRows || len(sheets) != sharedRows {
		t.Errorf("%d rows named %s on %d distinct sheets, want %d on %d", shared, district.SharedName, len(sheets), sharedRows, sharedRows)
	}
	got := decimal.RequireFromString(total[col["申报金额（万元）"]])
	if !got.Equal(sum) {
		t.Errorf("totals row requests %s, the rows not in doubt add up to %s", got, sum)
	}
	// No 元 added as 万元: 280 projects of at most 403万 and one of 15000万.
	if limit := decimal.NewFromInt(280*403 + 15000); got.GreaterThan(limit) {
		t.Errorf("totals row requests %s 万元, more than the folder holds (%s): 元 added as 万元", got, limit)
	}
	if !strings.Contains(total[col["项目名称"]], "20 个项目金额单位存疑") {
		t.Errorf("totals row does not count the projects in doubt: %q", total)
	}
}

func readSummaryCSV(t *testing.T, path string) [][]string {
	t.Helper()
	bs, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	r := csv.NewReader(strings.NewReader(strings.TrimPrefix(string(bs), "\ufeff")))
	r.FieldsPerRecord = -1 // the 跳过 lines after the table have fewer cells
	rows, err := r.ReadAll()
	if err != nil {
		t.Fatal(err)
	}
	// The table ends where the list of skipped files begins ("跳过 N 个文件"
	// or "没有跳过任何文件").
	for i, row := range rows {
		if i > 0 && len(row) == 1 && (strings.HasPrefix(row[0], "跳过 ") || strings.HasPrefix(row[0], "没有跳过")) {
			return rows[:i]
		}
	}
	return rows
}
