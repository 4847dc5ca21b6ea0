package xlsximport

import (
	"errors"
	"path/filepath"
	"reflect"
	"strings"
	"testing"
	"time"

	"github.com/xuri/excelize/v2"

	"github.com/budgetcheck/budgetcheck/evaluator/submission"
	"github.com/budgetcheck/budgetcheck/fixtures/xlsx/hostile"
)

// warningAt returns the warning of code at cell ("Sheet!B2"), or fails.
func warningAt(t *testing.T, ws submission.Problems, code, cell string) submission.Problem {
	t.Helper()
	for _, w := range ws {
		if w.Code == code && cellOf(w.Pos) == cell {
			return w
		}
	}
	t.Fatalf("no %s at %s in %v", code, cell, codesAt(ws))
	return submission.Problem{}
}

// Cells as the budget system stores them: a double in exponent form, a
// date-formatted 项目编码, formulas with and without their cached result, a
// percentage.
func TestExcelCells(t *testing.T) {
	book := save(t, "cells.xlsx", func(f *excelize.File) {
		put(f, "Sheet1", [][]string{
			{"二级项目支出绩效目标申报表"},
			{"项目编码：", "", "项目名称：", "热线运行"},
			{"申请单位：", "示范区政务服务中心", "实施期限：", "3"},
			{"项目总金额（中期规划，万元）：", "", "本年度项目金额（万元）：", ""},
			{"测算依据：", "坐席服务30个×48.75万元，合计1462.45万元"},
			{"一级指标", "二级指标", "三级指标", "目标值", "指标解释"},
			{"产出", "质量", "热线接通率", "", "考察接通情况"},
			{"产出", "数量", "坐席数", "", "考察坐席规模"},
			{"备注："},
		})
		f.SetCellDefault("Sheet1", "D4", "1.46245E7") // shown as 14,624,500.00
		money, _ := f.NewStyle(&excelize.Style{NumFmt: 4})
		f.SetCellStyle("Sheet1", "D4", "D4", money)
		f.SetCellValue("Sheet1", "B2", 44197) // a code typed as 2021-01-01
		date, _ := f.NewStyle(&excelize.Style{NumFmt: 14})
		f.SetCellStyle("Sheet1", "B2", "B2", date)
		f.SetCellFormula("Sheet1", "B4", "D4*3") // never calculated: no cached value
		f.SetCellDefault("Sheet1", "D7", "0.95")
		pct, _ := f.NewStyle(&excelize.Style{NumFmt: 9})
		f.SetCellStyle("Sheet1", "D7", "D7", pct)
		f.SetCellDefault("Sheet1", "D8", "30") // cached result of a formula
		f.SetCellFormula("Sheet1", "D8", "10*3")
	})
	wb := mustImport(t, book, Options{FiscalYear: 2023})
	p := wb.Projects[0]
	if len(p.Problems) > 0 {
		t.Fatal(p.Problems)
	}
	s := p.Submission
	if got := s.Project.RequestedTotal.String(); got != "14624500" || s.Project.Unit != "万元" {
		t.Errorf("1.46245E7 under a 万元 label read as %s %s, want exactly 14624500 万元", got, s.Project.Unit)
	}
	w := warningAt(t, p.Warnings, WarnCodeDate, "Sheet1!B2")
	if s.Project.Code != "44197" || !strings.Contains(w.Zh, "显示为 01-01-21") || !strings.Contains(w.Zh, "44197") {
		t.Errorf("date-cell code %q, warning %q", s.Project.Code, w.Zh)
	}
	w = warningAt(t, p.Warnings, WarnFormulaNoValue, "Sheet1!B4")
	if strings.Contains(w.Message, "empty") || !strings.Contains(w.Zh, "项目总金额（中期规划，万元）是公式") {
		t.Errorf("formula without a result: %q / %q", w.Message, w.Zh)
	}
	if got := []string{s.Targets[0].Value, s.Targets[1].Value}; !reflect.DeepEqual(got, []string{"95%", "30"}) {
		t.Errorf("percentage and formula target values %q, want 95%% and the cached 30", got)
	}
	for _, w := range p.Warnings {
		if w.Zh == "" {
			t.Errorf("warning %s has no Chinese message", w.Code)
		}
	}
}

// Text typed by a person in exponent form is an error, with the cell.
func TestExponentInTypedTextIsAnError(t *testing.T) {
	book := save(t, "typed.xlsx", func(f *excelize.File) {
		put(f, "Sheet1", [][]string{
			{"二级项目支出绩效目标申报表"},
			{"项目编码：", "510113230000001", "项目名称：", "甲"},
			{"申请单位：", "甲单位"},
			{"本年度项目金额（万元）：", "1.46245E7"},
		})
	})
	p := mustImport(t, book, Options{FiscalYear: 2023}).Projects[0]
	if len(p.Problems) != 1 || p.Problems[0].Code != submission.CodeInvalidAmount || cellOf(p.Problems[0].Pos) != "Sheet1!B4" || !strings.Contains(p.Problems[0].Zh, "科学计数法") {
		t.Errorf("problems %v", p.Problems)
	}
}

// A flat export that names no unit over its amounts: the unit is what
// 测算依据 supports, else 万元, each with a warning.
func TestFlatExportWithoutUnits(t *testing.T) {
	book := save(t, "flat.xlsx", func(f *excelize.File) {
		put(f, "Sheet1", [][]string{
			{"项目编码", "项目名称", "申请单位", "项目总金额", "本年金额", "测算依据"},
			{"A1", "甲", "甲单位", "", "", "坐席30个×1.5万元=45万元，系统维护6.71万，合计51.71万"},
			{"A2", "乙", "乙单位", "", "", "按19.38万元/年安排"},
			{"A3", "丙", "丙单位", "", "", "根据实际需要安排"},
		})
		for cell, v := range map[string]string{"D2": "517100", "E2": "517100", "D3": "58.14", "E3": "19.38", "D4": "3000000", "E4": "3000000"} {
			f.SetCellDefault("Sheet1", cell, v)
		}
	})
	wb := mustImport(t, book, Options{FiscalYear: 2023})
	want := []struct{ unit, amount, because string }{
		{"元", "517100", "51.71万"},
		{"万元", "19.38", "19.38万元"},
		{"万元", "3000000", "没有可据以判断的金额"},
	}
	for i, w := range want {
		p := wb.Projects[i]
		if len(p.Problems) > 0 {
			t.Fatal(p.Problems)
		}
		s := p.Submission
		unit := warningAt(t, p.Warnings, WarnUnit, "Sheet1!E"+string(rune('2'+i)))
		if s.Project.Unit != w.unit || s.Project.RequestedTotal.String() != w.amount || !strings.Contains(unit.Zh, w.because) {
			t.Errorf("project %d: %s %s, warning %q; want %s %s because %s", i, s.Project.RequestedTotal, s.Project.Unit, unit.Zh, w.amount, w.unit, w.because)
		}
	}
}

// A 400 KB workbook whose sheet unzips to hundreds of megabytes is refused
// before it is unzipped, naming the part.
func TestZipBombIsRefused(t *testing.T) {
	book := filepath.Join(t.TempDir(), "bomb.xlsx")
	if err := hostile.Bomb(book, DefaultMaxPartBytes+1<<20); err != nil {
		t.Fatal(err)
	}
	start := time.Now()
	_, err := Import(book, Options{})
	var problems submission.Problems
	if !errors.As(err, &problems) || len(problems) != 1 || problems[0].Code != CodeTooLarge || !strings.Contains(problems[0].Zh, hostile.BombPart) {
		t.Fatalf("Import: %v", err)
	}
	if took := time.Since(start); took > 2*time.Second {
		t.Errorf("refusing took %s: the part was unzipped", took)
	}
	_, err = Import(book, Options{MaxUnzipBytes: 1 << 20, MaxPartBytes: 1 << 20})
	if !errors.As(err, &problems) || problems[0].Code != CodeTooLarge {
		t.Errorf("smaller limits: %v", err)
	}
}

// One stray cell at XFD1048576 and no 备注 row: the indicator table runs to
// the last row, and its million blank rows are one warning.
func TestFarCellIsOneWarning(t *testing.T) {
	book := filepath.Join(t.TempDir(), "far.xlsx")
	if err := hostile.FarCell(book); err != nil {
		t.Fatal(err)
	}
	wb := mustImport(t, book, Options{})
	p := wb.Projects[0]
	if len(p.Problems) > 0 || len(p.Submission.Targets) != 1 {
		t.Fatalf("problems %v, targets %d", p.Problems, len(p.Submission.Targets))
	}
	if len(p.Warnings) != 1 {
		t.Fatalf("%d warnings, want one: %v", len(p.Warnings), codesAt(p.Warnings))
	}
	w := warningAt(t, p.Warnings, WarnBlankRow, "项目!A9")
	if !strings.Contains(w.Zh, "指标第 9–1048576 行（1048568 行）为空") {
		t.Errorf("warning %q", w.Zh)
	}
}
