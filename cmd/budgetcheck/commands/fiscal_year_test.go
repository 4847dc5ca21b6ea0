package commands_test

import (
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/budgetcheck/budgetcheck/cmd/budgetcheck/commands"
	"github.com/budgetcheck/budgetcheck/fixtures/xlsx/district"
)

// noYearBook writes one of the district's workbooks (20 projects, a date
// cell 项目编码, a formula without its result, no year anywhere) into dir.
func noYearBook(t *testing.T, dir string) string {
	t.Helper()
	b := district.Books()[1]
	f, err := district.Build(b)
	if err != nil {
		t.Fatal(err)
	}
	path := filepath.Join(dir, "申报表.xlsx")
	if err := f.SaveAs(path); err != nil {
		t.Fatal(err)
	}
	return path
}

// --fiscal-year on every command that reads workbooks, and fiscal-year: in
// .budgetcheck.yaml for each of them.
func TestFiscalYearFlagAndConfig(t *testing.T) {
	dir := t.TempDir()
	book := noYearBook(t, dir)
	t.Chdir(dir)

	_, stderr, code := importMain(t, "check", "-f", "json", book)
	if code != commands.ExitInput || strings.Count(stderr, "xlsx_fiscal_year_unknown") != 20 {
		t.Errorf("check without a year: exit %d, want 2 with a problem per project:\n%s", code, stderr)
	}
	out, stderr, code := importMain(t, "check", "-f", "json", "--fiscal-year", "2023", "--fail-on-conclusion", "never", book)
	var docs []map[string]any
	if err := json.Unmarshal([]byte(out), &docs); err != nil || len(docs) != 20 || code != commands.ExitOK {
		t.Fatalf("check --fiscal-year 2023: exit %d, %d documents (%v), want 0 and one per project:\n%s", code, len(docs), err, stderr)
	}
	if !strings.Contains(stderr, "警告：") || !strings.Contains(stderr, "项目编码所在单元格为日期格式") || !strings.Contains(stderr, "#健康教育宣传!B2") {
		t.Errorf("check does not show the import's warnings in Chinese with their cell:\n%s", stderr)
	}
	if _, stderr, code := importMain(t, "inspect", "--input", book, "--fiscal-year", "2023"); code != commands.ExitOK {
		t.Errorf("inspect --fiscal-year: exit %d\n%s", code, stderr)
	}

	os.WriteFile(filepath.Join(dir, ".budgetcheck.yaml"), []byte("fiscal-year: 2023\n"), 0o644)
	out, stderr, code = importMain(t, "batch", "--quiet", "--out", filepath.Join(dir, "review"), book)
	if code == commands.ExitInput || !strings.Contains(out, "20 个项目（1 个文件）") {
		t.Errorf("batch with fiscal-year: 2023 in .budgetcheck.yaml: exit %d\n%s%s", code, out, stderr)
	}
	subs := filepath.Join(dir, "subs")
	_, stderr, code = importMain(t, "import", "xlsx", book, "-o", subs, "--lang", "en")
	if code != commands.ExitOK || !strings.Contains(stderr, "warning: ") || !strings.Contains(stderr, "项目编码 is a date cell") {
		t.Errorf("import --lang en with the configured year: exit %d\n%s", code, stderr)
	}
	yaml, _ := os.ReadFile(filepath.Join(subs, "44197.yaml"))
	if !strings.Contains(string(yaml), "fiscal_year: 2023") {
		t.Errorf("the date-cell project's YAML:\n%s", yaml)
	}
	if _, _, code := importMain(t, "inspect", "--input", book); code != commands.ExitOK {
		t.Errorf("inspect with the configured year: exit %d", code)
	}
}
