package xlsximport

import (
	"path/filepath"
	"reflect"
	"testing"

	"github.com/xuri/excelize/v2"
)

// save writes a workbook built by fill into a temporary file.
func save(t *testing.T, name string, fill func(f *excelize.File)) string {
	t.Helper()
	f := excelize.NewFile()
	fill(f)
	path := filepath.Join(t.TempDir(), name)
	if err := f.SaveAs(path); err != nil {
		t.Fatal(err)
	}
	return path
}

func put(f *excelize.File, sheet string, rows [][]string) {
	for r, row := range rows {
		for c, v := range row {
			if v != "" {
				cell, _ := excelize.CoordinatesToCellName(c+1, r+1)
				f.SetCellStr(sheet, cell, v)
			}
		}
	}
}

func TestFormVariants(t *testing.T) {
	book := save(t, "variants.xlsx", func(f *excelize.File) {
		put(f, "Sheet1", [][]string{
			{"2023年度二级项目支出绩效目标申报表"},
			{"项目编码：510113230000001", "", "项目名称：图书馆运行"},
			{"申请单位：", "", "一级预算单位：", "示范区文化局"},
			{"本年度项目金额（元）：", "123,456.78元"},
			{"一级指标", "二级指标", "三级指标", "目标值", "指标解释"},
			{"产出", "数量", "开放天数", "≥300天", "考察开放情况"},
			{"备注：无"},
			{"产出", "质量", "这一行在备注之后", "100%", ""},
		})
		f.NewSheet("隐藏")
		put(f, "隐藏", [][]string{{"二级项目支出绩效目标申报表"}})
		f.SetSheetVisible("隐藏", false)
	})
	wb := mustImport(t, book, Options{})
	if len(wb.Projects) != 1 {
		t.Fatalf("%d projects", len(wb.Projects))
	}
	if got := codesAt(wb.Warnings); !reflect.DeepEqual(got, []string{"xlsx_sheet_skipped@隐藏"}) {
		t.Errorf("workbook warnings %v", got)
	}
	p := wb.Projects[0]
	if len(p.Problems) > 0 {
		t.Fatal(p.Problems)
	}
	s := p.Submission
	if s.Project.Code != "510113230000001" || s.Project.Name != "图书馆运行" {
		t.Errorf("label and value in one cell: code %q name %q", s.Project.Code, s.Project.Name)
	}
	if s.Project.BudgetUnit != "示范区文化局" || !reflect.DeepEqual(codesAt(p.Warnings), []string{"xlsx_amount_text@Sheet1!B4", "xlsx_budget_unit@Sheet1!B3"}) {
		t.Errorf("budget unit %q, warnings %v", s.Project.BudgetUnit, codesAt(p.Warnings))
	}
	if s.Project.FiscalYear != 2023 || s.Project.Unit != "元" || s.Project.RequestedTotal.String() != "123456.78" {
		t.Errorf("year %d from the title, unit %q, requested %s", s.Project.FiscalYear, s.Project.Unit, s.Project.RequestedTotal)
	}
	if len(s.Targets) != 1 || s.Targets[0].Name != "开放天数" {
		t.Errorf("the table ends at 备注: %+v", s.Targets)
	}
	if got := s.Pos("project.name").File; got != book+"#Sheet1!C2" {
		t.Errorf("name at %s", got)
	}
}

func TestFlatVariants(t *testing.T) {
	book := save(t, "flat.xlsx", func(f *excelize.File) {
		f.SetSheetName("Sheet1", "Projects")
		put(f, "Projects", [][]string{
			{"项目编码", "项目名称", "申请单位", "一级预算单位", "项目总金额（万元）", "本年金额（万元）", "政策依据", "测算依据", "年度目标"},
			{"A1", "甲项目", "甲单位", "", "", "", "", "", ""},
		})
		// 0.1+0.2 in a double: no decimal of 万元's six places is this double
		// (10.300000000000001 would be: it is the double of 10.3)
		f.SetCellDefault("Projects", "F2", "0.30000000000000004")
		f.SetCellDefault("Projects", "E2", "0.2")
		f.NewSheet("Targets")
		put(f, "Targets", [][]string{
			{"项目编码", "项目名称", "一级指标", "二级指标", "三级指标", "指标值", "指标解释"},
			{"A1", "甲项目", "产出", "数量", "场次", "3场", "考察场次"},
			{"A1", "甲项目", "", "", "", "1场", ""},
		})
	})
	wb := mustImport(t, book, Options{FiscalYear: 2024})
	if len(wb.Projects) != 1 || len(wb.Projects[0].Problems) > 0 {
		t.Fatalf("projects %+v", wb.Projects)
	}
	p := wb.Projects[0]
	s := p.Submission
	if s.Project.RequestedTotal.String() != "0.3" {
		t.Errorf("requested %s, want 0.3 as displayed", s.Project.RequestedTotal)
	}
	want := []string{"xlsx_amount_precision@Projects!F2", "xlsx_target_name_blank@Targets!E3", "xlsx_total_below_year@Projects!E2"}
	if got := codesAt(p.Warnings); !reflect.DeepEqual(got, want) {
		t.Errorf("warnings\n got %v\nwant %v", got, want)
	}
	if len(s.Targets) != 2 || s.Targets[1].Level2 != "数量" || s.Targets[1].Name != "数量" {
		t.Errorf("targets %+v", s.Targets)
	}
}

func TestDuplicateCodesAreToldApartBySheet(t *testing.T) {
	form := func(name string) [][]string {
		return [][]string{
			{"二级项目支出绩效目标申报表"},
			{"项目编码：", "510113230000009", "项目名称：", name},
			{"申请单位：", "示范区文化局", "实施期限：", "2023年"},
			{"本年度项目金额（万元）：", "10"},
		}
	}
	book := save(t, "dup.xlsx", func(f *excelize.File) {
		f.SetSheetName("Sheet1", "甲")
		put(f, "甲", form("甲项目"))
		f.NewSheet("乙")
		put(f, "乙", form("乙项目"))
	})
	wb := mustImport(t, book, Options{})
	var names, warnings []string
	for _, p := range wb.Projects {
		names = append(names, p.Name())
		warnings = append(warnings, codesAt(p.Warnings)...)
	}
	if !reflect.DeepEqual(names, []string{"甲", "乙"}) {
		t.Errorf("names %v, want the sheets", names)
	}
	want := []string{"xlsx_duplicate_code@甲!B2", "xlsx_no_targets@甲!A1", "xlsx_duplicate_code@乙!B2", "xlsx_no_targets@乙!A1"}
	if !reflect.DeepEqual(warnings, want) {
		t.Errorf("warnings\n got %v\nwant %v", warnings, want)
	}
}
