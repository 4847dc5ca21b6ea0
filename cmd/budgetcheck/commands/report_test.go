package commands_test

import (
	"bytes"
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/budgetcheck/budgetcheck/cmd/budgetcheck/commands"
)

func reportMain(t *testing.T, args ...string) (stdout, stderr string, code int) {
	t.Helper()
	var out, errOut bytes.Buffer
	code = commands.Main(args, &out, &errOut)
	return out.String(), errOut.String(), code
}

const reportSeed = "../../../fixtures/qingbaijiang-2021/submission.yaml"

func TestScheduleSeed(t *testing.T) {
	out, stderr, code := reportMain(t, "schedule", reportSeed)
	if code != commands.ExitOK {
		t.Fatalf("exit %d: %s", code, stderr)
	}
	for _, want := range []string{"222.445", "53.8", "35.175", "87.8", "未定期", "7-1", "与建议预算 222.445万元 一致"} {
		if !strings.Contains(out, want) {
			t.Errorf("schedule lacks %q:\n%s", want, out)
		}
	}
}

func TestScheduleCSVTotalsRow(t *testing.T) {
	out, _, code := reportMain(t, "schedule", "--format", "csv", "--from", "2020", "--to", "2024", reportSeed)
	if code != commands.ExitOK {
		t.Fatalf("exit %d", code)
	}
	lines := strings.Split(strings.TrimSpace(out), "\n")
	if got, want := lines[0], "序号,子项目,合同名称,合同日期,供应商,合同总额,服务周期,2020,2021,2022,2023,2024,未定期,行合计,核对"; got != want {
		t.Errorf("header %q, want %q", got, want)
	}
	if got, want := lines[len(lines)-1], ",,合计,,,749.5,,93.846,222.445,168.234,138.55,38.625,87.8,749.5,相符"; got != want {
		t.Errorf("totals row %q, want %q", got, want)
	}
	c6 := ""
	for _, l := range lines {
		if strings.HasPrefix(l, "6,") {
			c6 = l
		}
	}
	if !strings.Contains(c6, ",,53.8,80.7,80.7,26.9,,242.1,相符") {
		t.Errorf("C6 row %q", c6)
	}
}

func TestScheduleAsContracted(t *testing.T) {
	out, _, code := reportMain(t, "schedule", "--as-contracted", "--format", "csv", reportSeed)
	if code != commands.ExitOK {
		t.Fatalf("exit %d", code)
	}
	// C1 as signed: 30% paid in 2020, 40% in 2021, the last 30% has only a trigger.
	if !strings.Contains(out, ",226,3年,67.8,90.4,,,67.8,226,相符") {
		t.Errorf("C1 as contracted:\n%s", out)
	}
}

func TestScheduleUsageErrors(t *testing.T) {
	for name, args := range map[string][]string{
		"unknown format":  {"schedule", "--format", "xml", reportSeed},
		"from after to":   {"schedule", "--from", "2024", "--to", "2020", reportSeed},
		"missing file":    {"schedule", "no/such/file.yaml"},
		"report format":   {"report", "--format", "pdf", reportSeed},
		"report no input": {"report", "no/such/file.yaml"},
	} {
		if _, _, code := reportMain(t, args...); code != commands.ExitInput {
			t.Errorf("%s: exit %d, want 2", name, code)
		}
	}
}

func TestReportWritesHTMLAtomically(t *testing.T) {
	dir := t.TempDir()
	path := filepath.Join(dir, "report.html")
	if _, stderr, code := reportMain(t, "report", reportSeed, "-o", path); code != commands.ExitOK {
		t.Fatalf("exit %d: %s", code, stderr)
	}
	bs, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	for _, want := range []string{"<!DOCTYPE html>", "2021 年度政务服务综合管理平台建设运维项目事前绩效评估报告", "70.13", "222.445", "<svg"} {
		if !bytes.Contains(bs, []byte(want)) {
			t.Errorf("report lacks %q", want)
		}
	}
	entries, _ := os.ReadDir(dir)
	if len(entries) != 1 {
		t.Errorf("the directory holds %d files, want only report.html (no temporary left)", len(entries))
	}
}

// A bureau changes the report's title and its 评估方式 text through the
// ruleset's data only.
func TestReportTextsComeFromData(t *testing.T) {
	dir := t.TempDir()
	data := filepath.Join(dir, "bureau.yaml")
	err := os.WriteFile(data, []byte(`params:
  report:
    title:
      zh: "青白江区财政局关于{project}的{fiscal_year}年度事前绩效评估报告"
    issuer:
      zh: "成都市青白江区财政局"
    method:
      - heading: {zh: 评估依据, en: Basis}
        text: {zh: "本次评估由区财政局绩效管理科按《青白江区预算绩效管理办法》组织实施。", en: "Run by the district finance bureau."}
`), 0o644)
	if err != nil {
		t.Fatal(err)
	}
	for _, format := range []string{"html", "md"} {
		out, stderr, code := reportMain(t, "report", "--format", format, "--data", data, reportSeed)
		if code != commands.ExitOK {
			t.Fatalf("%s: exit %d: %s", format, code, stderr)
		}
		for _, want := range []string{"青白江区财政局关于政务服务综合管理平台建设运维项目的2021年度事前绩效评估报告", "成都市青白江区财政局", "评估依据", "青白江区预算绩效管理办法"} {
			if !strings.Contains(out, want) {
				t.Errorf("%s report lacks %q from the --data file", format, want)
			}
		}
		for _, gone := range []string{"论证思路及方法", "2021 年度政务服务综合管理平台建设运维项目事前绩效评估报告"} {
			if strings.Contains(out, gone) {
				t.Errorf("%s report still has %q, replaced by the --data file", format, gone)
			}
		}
	}
	out, _, _ := reportMain(t, "report", "--format", "md", "--lang", "en", "--data", data, reportSeed)
	if !strings.Contains(out, "Run by the district finance bureau.") || !strings.Contains(out, "pre-budget performance evaluation, fiscal year 2021") {
		t.Errorf("English report: the method text from --data, and the embedded English title where --data gives none:\n%.600s", out)
	}
}

// The result document carries the payment plan (additive field schedule).
func TestCheckJSONCarriesTheSchedule(t *testing.T) {
	out, _, _ := reportMain(t, "check", "--format", "json", reportSeed)
	var doc struct {
		Schedule struct {
			FiscalYear int `json:"fiscal_year"`
			LagDays    int `json:"lag_days"`
			Rows       []struct {
				ID          string            `json:"id"`
				Total       string            `json:"total"`
				Contracted  map[string]string `json:"contracted"`
				Recommended map[string]string `json:"recommended"`
				Paid        map[string]string `json:"paid"`
				Moves       []struct {
					Kind, From, To, Amount string
				} `json:"moves"`
			} `json:"rows"`
		} `json:"schedule"`
	}
	if err := json.Unmarshal([]byte(out), &doc); err != nil {
		t.Fatal(err)
	}
	s := doc.Schedule
	if s.FiscalYear != 2021 || s.LagDays != 30 || len(s.Rows) != 8 {
		t.Fatalf("schedule %d, lag %d, %d rows", s.FiscalYear, s.LagDays, len(s.Rows))
	}
	byID := map[string]int{}
	for i, r := range s.Rows {
		byID[r.ID] = i
	}
	c1 := s.Rows[byID["C1"]]
	if fmt.Sprint(c1.Contracted) != "map[2020:67.8 2021:90.4 later:67.8]" || fmt.Sprint(c1.Recommended) != "map[2020:67.8 2021:70.4 later:87.8]" || c1.Paid["2020"] != "67.8" {
		t.Errorf("C1 %v → %v (paid %v)", c1.Contracted, c1.Recommended, c1.Paid)
	}
	if len(c1.Moves) != 1 || c1.Moves[0].Kind != "prepaid_maintenance" || c1.Moves[0].Amount != "20" || c1.Moves[0].To != "later" {
		t.Errorf("C1 moves %+v", c1.Moves)
	}
	c3 := s.Rows[byID["C3"]]
	if fmt.Sprint(c3.Recommended) != "map[2021:4.816 2022:2.064]" {
		t.Errorf("C3 recommended %v", c3.Recommended)
	}
	p := s.Rows[byID["C7:predecessor"]]
	if p.Total != "10.5" || fmt.Sprint(p.Contracted) != "map[2020:10.5]" || fmt.Sprint(p.Recommended) != "map[2021:10.5]" {
		t.Errorf("C7's predecessor %+v", p)
	}
}
