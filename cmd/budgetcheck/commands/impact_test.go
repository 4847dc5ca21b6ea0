package commands_test

import (
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/xuri/excelize/v2"

	"github.com/budgetcheck/budgetcheck/cmd/budgetcheck/commands"
)

// overlay writes a --data file into a temp dir.
func overlay(t *testing.T, yaml string) string {
	t.Helper()
	p := filepath.Join(t.TempDir(), "change.yaml")
	if err := os.WriteFile(p, []byte(yaml), 0o644); err != nil {
		t.Fatal(err)
	}
	return p
}

// A city that admits only projects scoring 71 or more: the seed (70.13) and
// targets-only move from 调整后予以支持 to 不予支持.
const bands71 = `params:
  conclusion:
    bands:
      - {code: reject, basic_failed: true}
      - {code: reject, below: 71}
      - {code: support_after_adjustment, below: 80}
      - {code: support_after_adjustment, adjusted: true}
      - {code: support}
`

func TestImpactFailOnChange(t *testing.T) {
	var fixtures []string
	for _, name := range []string{"qingbaijiang-2021", "qingbaijiang-2021-corrected", "clean-100", "targets-only"} {
		fixtures = append(fixtures, "../../../fixtures/"+name+"/submission.yaml")
	}
	lag0 := overlay(t, "params:\n  payment:\n    lag_days: 0\n")
	bands := overlay(t, bands71)
	for _, tc := range []struct {
		name string
		args []string
		code int
		want []string
	}{
		{"a parameter that moves money but no outcome passes", []string{"--data", lag0, "--fail-on-change"}, commands.ExitOK,
			[]string{"4 个项目（4 个文件）：2 个有变化，2 个无变化；0 个结论或等级变化", "变更前 557.29，变更后 634.54，变化 +77.25", "ASSESSMENT_CYCLE_UNPAYABLE"}},
		{"a band that moves outcomes fails", []string{"--data", bands, "--fail-on-change"}, commands.ExitFail,
			[]string{"2 个结论或等级变化", "调整后予以支持 → 不予支持"}},
		{"without --fail-on-change a moved outcome passes", []string{"--data", bands}, commands.ExitOK, nil},
	} {
		t.Run(tc.name, func(t *testing.T) {
			stdout, stderr, code := run(t, append(append([]string{"impact", "--quiet"}, tc.args...), fixtures...)...)
			if code != tc.code {
				t.Fatalf("exit %d, want %d\n%s%s", code, tc.code, stdout, stderr)
			}
			for _, w := range tc.want {
				if !strings.Contains(stdout, w) {
					t.Errorf("stdout lacks %q:\n%s", w, stdout)
				}
			}
		})
	}
}

func TestImpactMarkdownAndWorkbook(t *testing.T) {
	dir := t.TempDir()
	md, book := filepath.Join(dir, "impact.md"), filepath.Join(dir, "impact.xlsx")
	seed := "../../../fixtures/qingbaijiang-2021/submission.yaml"
	clean := "../../../fixtures/clean-100/submission.yaml"
	_, stderr, code := run(t, "impact", "--quiet", "--data", overlay(t, bands71), "-f", "markdown", "-o", md, "-f", "xlsx", "-o", book, seed, clean)
	if code != commands.ExitOK {
		t.Fatalf("exit %d: %s", code, stderr)
	}
	bs, err := os.ReadFile(md)
	if err != nil {
		t.Fatal(err)
	}
	for _, w := range []string{"## 规则变更影响", "| 调整后予以支持 | 0 | **1** |", "调整后予以支持 → **不予支持**", "`" + seed + "`"} {
		if !strings.Contains(string(bs), w) {
			t.Errorf("markdown lacks %q:\n%s", w, bs)
		}
	}
	f, err := excelize.OpenFile(book)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	rows, err := f.GetRows("变化项目")
	if err != nil {
		t.Fatal(err)
	}
	if len(rows) != 2 { // the header and the seed: clean-100 did not change
		t.Fatalf("变化项目 has %d rows, want the header and one project: %q", len(rows), rows)
	}
	if got := rows[1][:6]; got[0] != seed || got[4] != "调整后予以支持" || got[5] != "不予支持" {
		t.Errorf("the seed's row: %q", got)
	}
	if v, _ := f.GetCellValue("变化项目", "G2"); v != "70.13" {
		t.Errorf("score before: %q, want 70.13", v)
	}
}

func TestImpactUsage(t *testing.T) {
	seed := "../../../fixtures/qingbaijiang-2021/submission.yaml"
	for _, tc := range []struct {
		name string
		args []string
		want string
	}{
		{"xlsx needs a file", []string{"-f", "xlsx", seed}, "needs an --output"},
		{"unknown format", []string{"-f", "sarif", seed}, "unknown format"},
		{"unknown embedded ruleset", []string{"--base", "embedded:nowhere", seed}, "no such embedded ruleset"},
		{"an embedded ruleset stands alone", []string{"--policy", "embedded:chengdu", "--policy", "../../../policies/chengdu", seed}, "stands alone"},
		{"a new ruleset folder that is not one", []string{"--policy", "no/such/dir", seed}, "not a directory"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			_, stderr, code := run(t, append([]string{"impact", "--quiet"}, tc.args...)...)
			if code != commands.ExitInput || !strings.Contains(stderr, tc.want) {
				t.Errorf("exit %d, stderr %q; want 2 and %q", code, stderr, tc.want)
			}
		})
	}
}

// A workbook is read once and each of its projects compared on its own;
// a 申报表 goes to the target review, whose grades move when a word list of
// the target rules is narrowed.
func TestImpactWorkbookProjects(t *testing.T) {
	book := "../../../fixtures/xlsx/form.xlsx"
	narrow := overlay(t, "params:\n  targets:\n    quality_suffixes: [合格率, 达标率]\n    name_suffixes:\n      时效: [及时率]\n      成本: [成本]\n")
	stdout, stderr, code := run(t, "impact", "--quiet", "--data", narrow, "-f", "json", book)
	if code != commands.ExitOK {
		t.Fatalf("exit %d: %s", code, stderr)
	}
	var r struct {
		Projects       int `json:"projects"`
		OutcomeChanged int `json:"outcome_changed"`
		Outcomes       []struct {
			From, To struct{ Code, Text string }
			Count    int
		} `json:"outcomes"`
		Changed []struct {
			File, Sheet string
			Index       int
		} `json:"changed_projects"`
	}
	if err := json.Unmarshal([]byte(stdout), &r); err != nil {
		t.Fatal(err)
	}
	if r.Projects != 8 || r.OutcomeChanged == 0 || len(r.Changed) == 0 {
		t.Fatalf("%d projects, %d changed, %d outcome changes; want 8 and some grade moves", r.Projects, len(r.Changed), r.OutcomeChanged)
	}
	for _, c := range r.Outcomes {
		if !strings.Contains("优良中差", c.From.Text) || !strings.Contains("优良中差", c.To.Text) || c.From.Text == "" {
			t.Errorf("outcome %+v: a 申报表's outcome is its grade", c)
		}
	}
	for _, p := range r.Changed {
		if p.File != book || p.Index < 1 || p.Index > 8 || p.Sheet == "" {
			t.Errorf("changed project %+v: want %s, its number and its sheet", p, book)
		}
	}
}
