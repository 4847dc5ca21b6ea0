package commands_test

import (
	"bytes"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/budgetcheck/budgetcheck/cmd/budgetcheck/commands"
)

const (
	formBook = "../../../fixtures/xlsx/form.xlsx"
	flatBook = "../../../fixtures/xlsx/flat-2022.xlsx"
)

func importMain(t *testing.T, args ...string) (stdout, stderr string, code int) {
	t.Helper()
	var out, errOut bytes.Buffer
	code = commands.Main(args, &out, &errOut)
	return out.String(), errOut.String(), code
}

func TestImportXLSXWritesOneSubmissionPerProject(t *testing.T) {
	dir := t.TempDir()
	out, errOut, code := importMain(t, "import", "xlsx", formBook, "-o", dir)
	if code != commands.ExitOK {
		t.Fatalf("exit %d: %s", code, errOut)
	}
	entries, _ := os.ReadDir(dir)
	var names []string
	for _, e := range entries {
		names = append(names, e.Name())
	}
	want := []string{"510113210000001.yaml", "510113210000002.yaml", "510113210000003.yaml", "510113210000006.yaml",
		"510113210000007.yaml", "510113210000008.yaml", "老旧小区乙.yaml", "老旧小区甲.yaml"}
	slices.Sort(names)
	slices.Sort(want)
	if !slices.Equal(names, want) {
		t.Errorf("files %v, want %v", names, want)
	}
	if !strings.Contains(out, "政务服务热线运行项目\t5 targets\t4 warnings") {
		t.Errorf("stdout lacks the hotline project's line:\n%s", out)
	}
	for _, w := range []string{"热线运行!F3", "xlsx_whitespace", "老旧小区甲!B2", "xlsx_code_digits_lost", "xlsx_blank_row", "填表说明"} {
		if !strings.Contains(errOut, w) {
			t.Errorf("stderr lacks %q:\n%s", w, errOut)
		}
	}

	// The written submission loads and evaluates; its finding points at the YAML line.
	file := filepath.Join(dir, "510113210000002.yaml")
	// An imported 申报表 (texts and targets, no budget lines) gets the target review;
	// an amount off by 10,000× is resubmitted by the unit: 中, not 良.
	out, errOut, code = importMain(t, "check", file)
	if code != commands.ExitOK {
		t.Fatalf("check exit %d: %s\n%s", code, errOut, out)
	}
	for _, w := range []string{"COSTING_UNIT_MISMATCH", "517100万元", "51.71万元", "审核结果: 中", "1. 本年度项目金额517100万元，测算依据所列金额为51.71万元（相差 10000 倍）"} {
		if !strings.Contains(out, w) {
			t.Errorf("check output lacks %q:\n%s", w, out)
		}
	}
}

func TestImportXLSXProblemsExitTwo(t *testing.T) {
	data, err := os.ReadFile(flatBook)
	if err != nil {
		t.Fatal(err)
	}
	dir := t.TempDir()
	book := filepath.Join(dir, "export.xlsx") // no year in the name
	os.WriteFile(book, data, 0o644)
	_, errOut, code := importMain(t, "import", "xlsx", book, "-o", filepath.Join(dir, "out"))
	if code != commands.ExitInput || strings.Count(errOut, "xlsx_fiscal_year_unknown") != 4 {
		t.Errorf("exit %d, want 2 with 4 fiscal-year problems:\n%s", code, errOut)
	}
	out, errOut, code := importMain(t, "import", "xlsx", book, "--fiscal-year", "2022", "-o", filepath.Join(dir, "out"))
	if code != commands.ExitOK || strings.Count(out, ".yaml") != 4 {
		t.Errorf("with --fiscal-year: exit %d\n%s\n%s", code, out, errOut)
	}

	notBook := filepath.Join(dir, "notes.xlsx")
	os.WriteFile(notBook, []byte("not a workbook"), 0o644)
	_, errOut, code = importMain(t, "import", "xlsx", notBook)
	if code != commands.ExitInput || !strings.Contains(errOut, "xlsx_not_workbook") {
		t.Errorf("exit %d, want 2 with xlsx_not_workbook:\n%s", code, errOut)
	}
}

func TestBatchReadsWorkbooks(t *testing.T) {
	dir := t.TempDir()
	out, errOut, code := importMain(t, "batch", "--quiet", "--data", "../../../fixtures/xlsx/targets-review.data", "--out", dir, formBook, flatBook)
	if code != commands.ExitFail { // one flat project scores 32: 不予支持
		t.Fatalf("exit %d, want 1:\n%s\n%s", code, out, errOut)
	}
	md, err := os.ReadFile(filepath.Join(dir, "summary.md"))
	if err != nil {
		t.Fatal(err)
	}
	for _, w := range []string{"政务服务热线运行项目", "农贸市场升级改造", "12 个项目"} {
		if !strings.Contains(string(md)+out, w) {
			t.Errorf("batch summary lacks %q", w)
		}
	}
}

// TestBatchTimesProjects: the closing line of a batch counts the projects
// of a workbook, not its one file, in the batch's language.
func TestBatchTimesProjects(t *testing.T) {
	for lang, want := range map[string]string{"zh": "8 个项目（1 个文件），每秒", "en": "8 projects in 1 files, "} {
		_, errOut, _ := importMain(t, "batch", "--lang", lang, "--out", t.TempDir(), formBook)
		if !strings.Contains(errOut, want) {
			t.Errorf("--lang %s: stderr lacks %q:\n%s", lang, want, errOut)
		}
	}
}
