package evaluator

import (
	"encoding/json"
	"strings"
	"testing"

	"github.com/budgetcheck/budgetcheck/evaluator/submission"
)

// The table's columns sum the policies' payments (in fen) by year, exactly,
// in the budget's unit (1 万元 = 1,000,000 fen); a year whose payments cancel
// out is left out; an amount that is not a whole number of fen is the
// policies' error.
func TestDecodeScheduleSumsByYear(t *testing.T) {
	sub := &submission.Submission{Contracts: []submission.Contract{{ID: "C1", Name: "合同"}}}
	sub.Project.Unit = "万元"
	plan := func(contracted, recommended string) json.RawMessage {
		return json.RawMessage(`{"fiscal_year": 2021, "lag_days": 30, "rows": [{"id": "C1", "contract": "C1",
			"contracted": [` + contracted + `], "recommended": [` + recommended + `], "moves": []}]}`)
	}
	s, err := decodeSchedule(sub, plan(
		`{"year": 2020, "amount_fen": 10000100, "paid": true}, {"year": 2021, "amount_fen": 20000000},
		 {"year": 2020, "amount_fen": 9999900}, {"year": 0, "amount_fen": 5}`,
		`{"year": 2021, "amount_fen": 30000000}, {"year": 2022, "amount_fen": 7}, {"year": 2022, "amount_fen": -7}`))
	if err != nil {
		t.Fatal(err)
	}
	r := s.Rows[0]
	if len(r.Contracted) != 3 || r.Contracted["2020"].String() != "20" || r.Contracted["2021"].String() != "20" || r.Contracted["later"].String() != "0.000005" {
		t.Errorf("contracted %v, want 2020=20 2021=20 later=0.000005", r.Contracted)
	}
	if len(r.Paid) != 1 || r.Paid["2020"].String() != "10.0001" {
		t.Errorf("paid %v, want 2020=10.0001", r.Paid)
	}
	if len(r.Recommended) != 1 || r.Recommended["2021"].String() != "30" {
		t.Errorf("recommended %v, want 2021=30 and no 2022 (7 − 7)", r.Recommended)
	}
	_, err = decodeSchedule(sub, plan(`{"year": 2021, "amount_fen": 1.5}`, ``))
	if err == nil || !strings.Contains(err.Error(), "not a whole number of fen") {
		t.Errorf("an amount of 1.5 fen: %v, want an error", err)
	}
}
