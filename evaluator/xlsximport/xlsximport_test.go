package xlsximport

import (
	"errors"
	"os"
	"path/filepath"
	"reflect"
	"slices"
	"strings"
	"testing"

	"github.com/xuri/excelize/v2"

	"github.com/budgetcheck/budgetcheck/evaluator/submission"
)

const (
	formBook = "../../fixtures/xlsx/form.xlsx"
	flatBook = "../../fixtures/xlsx/flat-2022.xlsx"
)

func mustImport(t *testing.T, path string, opts Options) *Workbook {
	t.Helper()
	wb, err := Import(path, opts)
	if err != nil {
		t.Fatalf("Import(%s): %v", path, err)
	}
	return wb
}

// codesAt lists problems as "code@Sheet!Cell", sorted.
func codesAt(ps submission.Problems) []string {
	out := make([]string, len(ps))
	for i, p := range ps {
		out[i] = p.Code + "@" + cellOf(p.Pos)
	}
	slices.Sort(out)
	return out
}

type wantProject struct {
	sheet, name, code, unit, requested, attribute string
	year, targets                                 int
	warnings                                      []string
}

func checkProjects(t *testing.T, wb *Workbook, want []wantProject) {
	t.Helper()
	if len(wb.Projects) != len(want) {
		t.Fatalf("%d projects, want %d", len(wb.Projects), len(want))
	}
	for i, w := range want {
		p := wb.Projects[i]
		t.Run(w.name, func(t *testing.T) {
			if len(p.Problems) > 0 {
				t.Fatalf("problems: %v", p.Problems)
			}
			s := p.Submission
			got := wantProject{
				sheet: p.Sheet, name: p.Name(), code: s.Project.Code, unit: s.Project.Unit,
				requested: s.Project.RequestedTotal.String(), attribute: s.Project.Attribute,
				year: s.Project.FiscalYear, targets: len(s.Targets), warnings: codesAt(p.Warnings),
			}
			if got.warnings == nil {
				got.warnings = []string{}
			}
			if w.warnings == nil {
				w.warnings = []string{}
			}
			if !reflect.DeepEqual(got, w) {
				t.Errorf("\n got %+v\nwant %+v", got, w)
			}
			if s.File != wb.File {
				t.Errorf("File = %q, want the workbook %q", s.File, wb.File)
			}
		})
	}
}

func TestImportForm(t *testing.T) {
	wb := mustImport(t, formBook, Options{})
	if wb.Layout != LayoutForm {
		t.Errorf("layout %q", wb.Layout)
	}
	if got := codesAt(wb.Warnings); !reflect.DeepEqual(got, []string{"xlsx_sheet_skipped@填表说明"}) {
		t.Errorf("workbook warnings %v", got)
	}
	checkProjects(t, wb, []wantProject{
		{sheet: "智慧社区", name: "510113210000001", code: "510113210000001", unit: "万元", requested: "51.71", attribute: "new", year: 2022, targets: 6},
		{sheet: "热线运行", name: "510113210000002", code: "510113210000002", unit: "万元", requested: "517100", attribute: "continuing", year: 2022, targets: 5,
			warnings: []string{"xlsx_whitespace@热线运行!C10", "xlsx_whitespace@热线运行!C4", "xlsx_whitespace@热线运行!E15", "xlsx_whitespace@热线运行!F3"}},
		{sheet: "道路养护", name: "510113210000003", code: "510113210000003", unit: "万元", requested: "120", attribute: "continuing", year: 2022, targets: 6},
		{sheet: "老旧小区甲", name: "老旧小区甲", code: "5.10113E+17", unit: "万元", requested: "300", attribute: "new", year: 2022, targets: 6,
			warnings: []string{"xlsx_blank_row@老旧小区甲!A17", "xlsx_code_digits_lost@老旧小区甲!B2", "xlsx_row_not_filled@老旧小区甲!A19", "xlsx_row_not_filled@老旧小区甲!A21"}},
		{sheet: "老旧小区乙", name: "老旧小区乙", code: "5.10113E+17", unit: "万元", requested: "200", attribute: "new", year: 2022, targets: 5,
			warnings: []string{"xlsx_code_digits_lost@老旧小区乙!B2"}},
		{sheet: "学校食堂", name: "510113210000006", code: "510113210000006", unit: "万元", requested: "88", attribute: "new", year: 2022, targets: 6},
		{sheet: "文化活动", name: "510113210000007", code: "510113210000007", unit: "万元", requested: "30", attribute: "continuing", year: 2021, targets: 4,
			warnings: []string{"xlsx_fiscal_year@文化活动!B4"}},
		{sheet: "河道保洁", name: "510113210000008", code: "510113210000008", unit: "万元", requested: "64.8", attribute: "continuing", year: 2022, targets: 6},
	})
}

func TestImportFormFacts(t *testing.T) {
	wb := mustImport(t, formBook, Options{})
	byName := map[string]*submission.Submission{}
	for _, p := range wb.Projects {
		byName[p.Sheet] = p.Submission
	}

	t.Run("texts trimmed, policy basis split into documents", func(t *testing.T) {
		s := byName["热线运行"]
		if s.Project.Name != "政务服务热线运行项目" || s.Project.BudgetUnit != "示范区政务服务中心" || s.Targets[1].Value != "≥95%" {
			t.Errorf("not trimmed: %q %q %q", s.Project.Name, s.Project.BudgetUnit, s.Targets[1].Value)
		}
		want := []submission.Document{{Title: "成都市城乡社区发展治理总体规划", Number: "成社治委〔2018〕3号"}, {Title: "关于推进智慧社区建设的实施意见"}}
		if got := byName["智慧社区"].Project.PolicyBasis; !reflect.DeepEqual(got, want) {
			t.Errorf("policy basis %+v", got)
		}
		if got := byName["文化活动"].Project.PolicyBasis; !reflect.DeepEqual(got, []submission.Document{{Title: "公共文化服务保障法"}}) {
			t.Errorf("policy basis %+v", got)
		}
	})

	t.Run("merged and blank 二级指标 are the one above; unfilled rows skipped", func(t *testing.T) {
		s := byName["老旧小区甲"]
		var got []string
		for _, tg := range s.Targets {
			got = append(got, tg.Level1+"/"+tg.Level2+"/"+tg.Name)
		}
		want := []string{"产出/数量/改造小区数量", "产出/数量/改造面积", "产出/质量/工程验收合格率", "产出/质量/安全事故发生率", "产出/时效/改造完成时间", "效益/社会效益/居民居住环境改善率"}
		if !reflect.DeepEqual(got, want) {
			t.Errorf("targets\n got %v\nwant %v", got, want)
		}
	})

	t.Run("positions name the cell", func(t *testing.T) {
		tests := []struct {
			sheet, path string
			want        submission.Pos
		}{
			// 热线运行 is shifted one row down and one column right: labels, not positions.
			{"热线运行", "project.name", submission.Pos{File: formBook + "#热线运行!F3", Line: 3, Column: 6}},
			{"热线运行", "project.requested_total", submission.Pos{File: formBook + "#热线运行!F7", Line: 7, Column: 6}},
			{"热线运行", "project.cost_basis_text", submission.Pos{File: formBook + "#热线运行!C9", Line: 9, Column: 3}},
			{"热线运行", "targets[1].value", submission.Pos{File: formBook + "#热线运行!E15", Line: 15, Column: 5}},
			{"智慧社区", "project.code", submission.Pos{File: formBook + "#智慧社区!B2", Line: 2, Column: 2}},
			{"智慧社区", "project.fiscal_year", submission.Pos{File: formBook + "#智慧社区!B4", Line: 4, Column: 2}},
			{"智慧社区", "targets", submission.Pos{File: formBook + "#智慧社区!A12", Line: 12, Column: 1}},
			{"老旧小区甲", "targets[4].name", submission.Pos{File: formBook + "#老旧小区甲!C18", Line: 18, Column: 3}},
			{"学校食堂", "targets[2].explanation", submission.Pos{File: formBook + "#学校食堂!E15", Line: 15, Column: 5}},
		}
		for _, tt := range tests {
			if got := byName[tt.sheet].Pos(tt.path); got != tt.want {
				t.Errorf("%s %s: %+v, want %+v", tt.sheet, tt.path, got, tt.want)
			}
		}
	})
}

func TestImportFlat(t *testing.T) {
	wb := mustImport(t, flatBook, Options{})
	if wb.Layout != LayoutFlat {
		t.Errorf("layout %q", wb.Layout)
	}
	if got, want := codesAt(wb.Warnings), []string{"xlsx_unknown_project@绩效指标!A22"}; !reflect.DeepEqual(got, want) {
		t.Errorf("workbook warnings %v, want %v", got, want)
	}
	checkProjects(t, wb, []wantProject{
		{sheet: "项目信息", name: "510113220000001", code: "510113220000001", unit: "万元", requested: "50", year: 2022, targets: 6,
			warnings: []string{"xlsx_fiscal_year@项目信息!A2"}},
		{sheet: "项目信息", name: "项目信息-3", code: "510113220000002000", unit: "万元", requested: "40", year: 2022, targets: 5,
			warnings: []string{"xlsx_code_digits_lost@项目信息!A3", "xlsx_fiscal_year@项目信息!A3"}},
		{sheet: "项目信息", name: "510113220000003", code: "510113220000003", unit: "万元", requested: "2000000", year: 2022, targets: 5,
			warnings: []string{"xlsx_fiscal_year@项目信息!A4", "xlsx_whitespace@项目信息!I4"}},
		{sheet: "项目信息", name: "510113220000004", code: "510113220000004", unit: "万元", requested: "60", year: 2022, targets: 3,
			warnings: []string{"xlsx_fiscal_year@项目信息!A5"}},
	})
	s := wb.Projects[1].Submission
	if got, want := s.Pos("targets[4].value"), (submission.Pos{File: flatBook + "#绩效指标!E12", Line: 12, Column: 5}); got != want {
		t.Errorf("indicator position %+v, want %+v", got, want)
	}
	if got, want := s.Pos("project.requested_total"), (submission.Pos{File: flatBook + "#项目信息!F3", Line: 3, Column: 6}); got != want {
		t.Errorf("amount position %+v, want %+v", got, want)
	}
}

// copyTo copies a fixture under another name, to see how the file name matters.
func copyTo(t *testing.T, from, name string) string {
	t.Helper()
	data, err := os.ReadFile(from)
	if err != nil {
		t.Fatal(err)
	}
	path := filepath.Join(t.TempDir(), name)
	if err := os.WriteFile(path, data, 0o644); err != nil {
		t.Fatal(err)
	}
	return path
}

func TestFiscalYear(t *testing.T) {
	book := copyTo(t, flatBook, "export.xlsx")
	t.Run("unknown: a problem per project, Load fails", func(t *testing.T) {
		wb := mustImport(t, book, Options{})
		for _, p := range wb.Projects {
			if p.Submission != nil || len(p.Problems) != 1 || p.Problems[0].Code != CodeFiscalYear {
				t.Errorf("%s: %v", p.Name(), p.Problems)
			}
		}
		var warned []string
		_, err := Load(book, Options{Warn: func(w submission.Problem) { warned = append(warned, w.Code) }})
		var problems submission.Problems
		if !errors.As(err, &problems) || len(problems) != 4 {
			t.Errorf("Load: %v", err)
		}
		if want := []string{WarnUnknownProject, WarnCodeDigitsLost, WarnWhitespace}; !reflect.DeepEqual(warned, want) {
			t.Errorf("Options.Warn received %v, want %v", warned, want)
		}
	})
	t.Run("the option wins, without a warning", func(t *testing.T) {
		subs, err := Load(book, Options{FiscalYear: 2023})
		if err != nil || len(subs) != 4 {
			t.Fatalf("Load: %d, %v", len(subs), err)
		}
		for _, s := range subs {
			if s.Project.FiscalYear != 2023 {
				t.Errorf("%s: %d", s.Project.Name, s.Project.FiscalYear)
			}
		}
		wb := mustImport(t, book, Options{FiscalYear: 2023})
		for _, p := range wb.Projects {
			for _, w := range p.Warnings {
				if w.Code == WarnFiscalYear {
					t.Errorf("%s: %s despite the option", p.Name(), w)
				}
			}
		}
	})
}

func TestImportErrors(t *testing.T) {
	dir := t.TempDir()
	text := filepath.Join(dir, "notes.xlsx")
	os.WriteFile(text, []byte("项目编码,项目名称\n"), 0o644)
	old := filepath.Join(dir, "old.xls")
	os.WriteFile(old, []byte{0xd0, 0xcf, 0x11, 0xe0}, 0o644)
	truncated := filepath.Join(dir, "truncated.xlsx")
	whole, _ := os.ReadFile(formBook)
	os.WriteFile(truncated, whole[:len(whole)/2], 0o644)
	other := filepath.Join(dir, "other.xlsx")
	f := excelize.NewFile()
	f.SetCellStr("Sheet1", "A1", "随便写点什么")
	if err := f.SaveAs(other); err != nil {
		t.Fatal(err)
	}
	tests := []struct {
		name, path, code, message string
	}{
		{"text renamed .xlsx", text, CodeNotWorkbook, "not an .xlsx workbook"},
		{"old .xls", old, CodeNotWorkbook, "save it as .xlsx"},
		{"truncated", truncated, CodeNotWorkbook, "not an .xlsx workbook"},
		{"no project sheet", other, CodeNoProjects, "no project found"},
		{"missing", filepath.Join(dir, "missing.xlsx"), submission.CodeRead, "no such file"},
		{"directory", dir, submission.CodeRead, "directory"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := Load(tt.path, Options{})
			var problems submission.Problems
			if !errors.As(err, &problems) || len(problems) != 1 {
				t.Fatalf("error %v, want one problem", err)
			}
			if p := problems[0]; p.Code != tt.code || !strings.Contains(p.Message, tt.message) || p.Pos.File != tt.path {
				t.Errorf("%+v, want code %s with %q", p, tt.code, tt.message)
			}
		})
	}
	if _, err := Load(text, Options{MaxBytes: 4}); err == nil || !strings.Contains(err.Error(), submission.CodeTooLarge) {
		t.Errorf("MaxBytes: %v", err)
	}
}

func TestIsWorkbook(t *testing.T) {
	for path, want := range map[string]bool{"a.xlsx": true, "B.XLSX": true, "c.xlsm": true, "d.xls": true, "e.yaml": false, "f.json": false, "xlsx": false} {
		if got := IsWorkbook(path); got != want {
			t.Errorf("IsWorkbook(%q) = %v", path, got)
		}
	}
}

// TestMarshalRoundTrip writes each project as YAML and loads it back with the
// submission loader: the same facts, and the file validates.
func TestMarshalRoundTrip(t *testing.T) {
	for _, book := range []string{formBook, flatBook} {
		for _, p := range mustImport(t, book, Options{}).Projects {
			t.Run(p.Name(), func(t *testing.T) {
				data, err := Marshal(p)
				if err != nil {
					t.Fatal(err)
				}
				back, err := submission.Parse(p.Name()+".yaml", data)
				if err != nil {
					t.Fatalf("the YAML does not load: %v\n%s", err, data)
				}
				a, b := p.Submission.Project, back.Project
				if !a.RequestedTotal.Equal(b.RequestedTotal) {
					t.Errorf("requested %s, back %s", a.RequestedTotal, b.RequestedTotal)
				}
				a.RequestedTotal = b.RequestedTotal
				if !reflect.DeepEqual(a, b) {
					t.Errorf("project\n got %+v\nwant %+v", b, a)
				}
				if !reflect.DeepEqual(p.Submission.Targets, back.Targets) {
					t.Errorf("targets\n got %+v\nwant %+v", back.Targets, p.Submission.Targets)
				}
				if cell := cellOf(p.Submission.Pos("project.name")); !strings.Contains(string(data), "# "+cell) {
					t.Errorf("no comment naming the cell %s of the name", cell)
				}
				for _, w := range p.Warnings {
					if !strings.Contains(string(data), "["+w.Code+"]") {
						t.Errorf("warning %s not in the head comment", w.Code)
					}
				}
			})
		}
	}
}
