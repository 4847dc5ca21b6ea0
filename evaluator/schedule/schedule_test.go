package schedule_test

import (
	"bytes"
	"strings"
	"testing"

	"github.com/shopspring/decimal"

	"github.com/budgetcheck/budgetcheck/evaluator/result"
	"github.com/budgetcheck/budgetcheck/evaluator/schedule"
)

func d(s string) decimal.Decimal { return decimal.RequireFromString(s) }

func ptr(s string) *decimal.Decimal { v := d(s); return &v }

func years(kv ...string) map[string]decimal.Decimal {
	m := map[string]decimal.Decimal{}
	for i := 0; i < len(kv); i += 2 {
		m[kv[i]] = d(kv[i+1])
	}
	return m
}

// doc is a result with two contracts: A adds up, B's instalments miss 10 of
// its total; C states no total.
func doc() *result.Document {
	return &result.Document{
		File: "x.yaml",
		Budget: result.Budget{Unit: "万元", Recommended: d("60"), Lines: []result.Line{
			{ID: "L1", Name: "甲项", Contract: "A", Recommended: d("40")},
			{ID: "L9", Name: "会议费", Recommended: d("20")},
		}},
		Schedule: &result.Schedule{FiscalYear: 2021, LagDays: 30, Rows: []result.ScheduleRow{
			{ID: "A", Contract: "A", Name: "甲", Total: ptr("100"),
				Contracted:  years("2020", "30", "2021", "40", "later", "30"),
				Recommended: years("2020", "30", "2021", "40", "later", "30"),
				Paid:        years("2020", "30")},
			{ID: "B", Contract: "B", Name: "乙", Total: ptr("50"),
				Contracted:  years("2021", "20", "2025", "20"),
				Recommended: years("2021", "20", "2025", "20")},
			{ID: "C", Contract: "C", Name: "丙",
				Contracted:  years("2019", "5"),
				Recommended: years("2021", "5"),
				Moves:       []result.Move{{Kind: "arrear", From: "2019", To: "2021", Amount: d("5"), Seq: 1}}},
		}},
	}
}

func TestBuildMarksDiscrepancies(t *testing.T) {
	tab, err := schedule.Build(doc(), schedule.Options{From: 2020, To: 2022})
	if err != nil {
		t.Fatal(err)
	}
	var keys []string
	for _, c := range tab.Columns {
		keys = append(keys, c.Key)
	}
	if got := strings.Join(keys, ","); got != "2020,2021,2022,after,later" {
		t.Errorf("columns %s", got)
	}
	a, b, c := tab.Rows[0], tab.Rows[1], tab.Rows[2]
	if a.Discrepancy != nil || a.Check("zh") != "相符" || !a.Sum.Equal(d("100")) {
		t.Errorf("A: sum %s, check %s", a.Sum, a.Check("zh"))
	}
	if !a.Cells[0].Paid || a.Cells[0].Marked() != "30✓" {
		t.Errorf("A 2020: %q, want paid", a.Cells[0].Marked())
	}
	if b.Discrepancy == nil || b.Discrepancy.String() != "-10" || b.Check("zh") != "差 -10" {
		t.Errorf("B: discrepancy %v, check %q", b.Discrepancy, b.Check("zh"))
	}
	if b.Cells[3].Amount.String() != "20" {
		t.Errorf("B after 2022: %s", b.Cells[3].Amount)
	}
	if !c.NoTotal || c.Check("en") != "no total" {
		t.Errorf("C: no total %v, check %q", c.NoTotal, c.Check("en"))
	}
	if !c.Cells[1].Moved || c.Cells[1].Marked() != "5*" {
		t.Errorf("C 2021: %q, want the arrear marked", c.Cells[1].Marked())
	}
	if tab.Discrepancies != 1 || !tab.Total.Equal(d("150")) || !tab.Sum.Equal(d("145")) {
		t.Errorf("discrepancies %d, total %s, sum %s", tab.Discrepancies, tab.Total, tab.Sum)
	}
	if !tab.Fiscal.Equal(d("65")) || tab.Reconciled {
		t.Errorf("fiscal %s, reconciled %v; the budget is 60", tab.Fiscal, tab.Reconciled)
	}
	var text bytes.Buffer
	if err := tab.Write(&text, "text", "zh"); err != nil {
		t.Fatal(err)
	}
	for _, want := range []string{"差 -10", "B 各年付款合计 40 与合同总额 50 不符", "C 未填合同总额", "不一致，相差 5万元（见注）",
		"(2) B 2021年付款 20 与其预算行建议数 0 不一致，相差 20", "(3) C 2021年付款 5 与其预算行建议数 0 不一致，相差 5",
		"(L9) 预算行 L9（会议费）建议 20，未对应表中合同"} {
		if !strings.Contains(text.String(), want) {
			t.Errorf("text lacks %q:\n%s", want, text.String())
		}
	}
	if strings.Contains(text.String(), "(1) A 2021") {
		t.Error("A pays its line's 40 in 2021, yet a note says it does not")
	}
}

func TestBuildDefaultYearsAndEarlierColumn(t *testing.T) {
	tab, err := schedule.Build(doc(), schedule.Options{AsContracted: true})
	if err != nil {
		t.Fatal(err)
	}
	if first, last := tab.Columns[0].Key, tab.Columns[len(tab.Columns)-2].Key; first != "2019" || last != "2025" {
		t.Errorf("default columns %s…%s, want 2019…2025 (then later)", first, last)
	}
	tab, err = schedule.Build(doc(), schedule.Options{From: 2021, To: 2021, AsContracted: true})
	if err != nil {
		t.Fatal(err)
	}
	if tab.Columns[0].Key != schedule.Earlier || tab.Rows[2].Cells[0].Amount.String() != "5" {
		t.Errorf("2019 belongs in the earlier column: %+v", tab.Columns)
	}
}

func TestBuildWithoutSchedule(t *testing.T) {
	if _, err := schedule.Build(&result.Document{File: "x.yaml"}, schedule.Options{}); err == nil {
		t.Error("a document without a schedule gave a table")
	}
}

func TestWriteFormats(t *testing.T) {
	tab, err := schedule.Build(doc(), schedule.Options{})
	if err != nil {
		t.Fatal(err)
	}
	for _, f := range schedule.Formats {
		var b bytes.Buffer
		if err := tab.Write(&b, f, "en"); err != nil || !strings.Contains(b.String(), "150") {
			t.Errorf("%s: %v\n%s", f, err, b.String())
		}
	}
	if err := tab.Write(&bytes.Buffer{}, "xml", "en"); err == nil {
		t.Error("format xml accepted")
	}
}
