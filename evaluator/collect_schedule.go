package evaluator

import (
	"bytes"
	"encoding/json"
	"fmt"
	"strconv"

	gojson "github.com/goccy/go-json"
	"github.com/shopspring/decimal"

	"github.com/budgetcheck/budgetcheck/evaluator/money"
	"github.com/budgetcheck/budgetcheck/evaluator/result"
	"github.com/budgetcheck/budgetcheck/evaluator/submission"
)

// decodeSchedule reads the result of ScheduleQuery.
func decodeSchedule(sub *submission.Submission, raw json.RawMessage) (*result.Schedule, error) {
	dec := gojson.NewDecoder(bytes.NewReader(raw))
	dec.UseNumber()
	var ps policySchedule
	if err := dec.Decode(&ps); err != nil {
		return nil, fmt.Errorf("%s has the wrong shape: %w", ScheduleQuery, err)
	}
	unit, _ := money.LookupUnit(sub.Project.Unit)
	return collectSchedule(sub, unit, &ps)
}

// policySchedule is data.budgetcheck.schedule.plan (schedule.rego).
type policySchedule struct {
	FiscalYear int `json:"fiscal_year"`
	LagDays    int `json:"lag_days"`
	Rows       []struct {
		ID          string       `json:"id"`
		Contract    string       `json:"contract"`
		Predecessor bool         `json:"predecessor"`
		TotalFen    *json.Number `json:"total_fen"`
		Contracted  []payment    `json:"contracted"`
		Recommended []payment    `json:"recommended"`
		Moves       []struct {
			Kind      string      `json:"kind"`
			From      int         `json:"from"`
			To        int         `json:"to"`
			AmountFen json.Number `json:"amount_fen"`
			Seq       int         `json:"seq"`
			Name      string      `json:"name"`
			End       string      `json:"end"`
		} `json:"moves"`
	} `json:"rows"`
}

// payment is one entry of a row's payments: what falls in a year, as the
// contract states it (with whether it is paid) or as the policies recommend.
type payment struct {
	Year      int         `json:"year"` // 0: none
	AmountFen json.Number `json:"amount_fen"`
	Paid      bool        `json:"paid"`
}

// yearKey is a year as the table's columns are keyed: "2021", or "later"
// for the payments that have no year.
func yearKey(year int) string {
	if year == 0 {
		return "later"
	}
	return strconv.Itoa(year)
}

// collectSchedule lays out the policies' payment plan as the report's table:
// it sums each row's payments by year (leaving out a year that sums to
// nothing), converts the sums to the budget's unit and names each row from
// the submission's contracts. A ruleset without a schedule gives none.
func collectSchedule(sub *submission.Submission, unit money.Unit, ps *policySchedule) (*result.Schedule, error) {
	if ps == nil {
		return nil, nil
	}
	contracts := map[string]submission.Contract{}
	for _, c := range sub.Contracts {
		contracts[c.ID] = c
	}
	amount := func(what string, n json.Number) (decimal.Decimal, error) {
		fen, err := n.Int64()
		if err != nil {
			return decimal.Decimal{}, fmt.Errorf("schedule %s: %q is not a whole number of fen", what, n)
		}
		return money.FromFen(fen, unit), nil
	}
	// byYear sums the payments that keep holds by year, in fen: whole
	// numbers, so the sums are exact before the one conversion to the unit.
	byYear := func(id string, ps []payment, keep func(payment) bool) (map[string]decimal.Decimal, error) {
		fen := map[int]int64{}
		for _, p := range ps {
			if !keep(p) {
				continue
			}
			n, err := p.AmountFen.Int64()
			if err != nil {
				return nil, fmt.Errorf("schedule %s %s: %q is not a whole number of fen", id, yearKey(p.Year), p.AmountFen)
			}
			sum := fen[p.Year] + n
			if (n > 0 && sum < fen[p.Year]) || (n < 0 && sum > fen[p.Year]) {
				return nil, fmt.Errorf("schedule %s %s: the payments overflow", id, yearKey(p.Year))
			}
			fen[p.Year] = sum
		}
		out := make(map[string]decimal.Decimal, len(fen))
		for year, n := range fen {
			if n != 0 {
				out[yearKey(year)] = money.FromFen(n, unit)
			}
		}
		return out, nil
	}
	all := func(payment) bool { return true }
	paid := func(p payment) bool { return p.Paid }
	s := &result.Schedule{FiscalYear: ps.FiscalYear, LagDays: ps.LagDays, Rows: []result.ScheduleRow{}}
	for _, r := range ps.Rows {
		c, ok := contracts[r.Contract]
		if !ok {
			return nil, fmt.Errorf("schedule row %s: contract %q is not in the submission", r.ID, r.Contract)
		}
		row := result.ScheduleRow{ID: r.ID, Contract: r.Contract, Predecessor: r.Predecessor, Name: c.Name, Subproject: c.Subproject}
		if r.Predecessor && c.Predecessor != nil {
			row.Name = c.Predecessor.Name
		} else {
			row.Supplier, row.Status, row.Term = c.Supplier, c.Status, c.Term
			if c.Signed != nil {
				row.Signed = c.Signed.String()
			}
		}
		var err error
		if r.TotalFen != nil {
			total, err := amount(r.ID+" total", *r.TotalFen)
			if err != nil {
				return nil, err
			}
			row.Total = &total
		}
		if row.Contracted, err = byYear(r.ID, r.Contracted, all); err != nil {
			return nil, err
		}
		if row.Recommended, err = byYear(r.ID, r.Recommended, all); err != nil {
			return nil, err
		}
		if row.Paid, err = byYear(r.ID, r.Contracted, paid); err != nil {
			return nil, err
		}
		for _, m := range r.Moves {
			a, err := amount(r.ID+" move", m.AmountFen)
			if err != nil {
				return nil, err
			}
			row.Moves = append(row.Moves, result.Move{Kind: m.Kind, From: yearKey(m.From), To: yearKey(m.To), Amount: a, Seq: m.Seq, Name: m.Name, End: m.End})
		}
		s.Rows = append(s.Rows, row)
	}
	return s, nil
}
