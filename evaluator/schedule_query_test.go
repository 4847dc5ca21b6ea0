package evaluator_test

import (
	"context"
	"maps"
	"slices"
	"strings"
	"sync"
	"testing"

	"github.com/shopspring/decimal"

	"github.com/budgetcheck/budgetcheck/evaluator"
	"github.com/budgetcheck/budgetcheck/evaluator/ruleset"
	"github.com/budgetcheck/budgetcheck/policies"
)

var (
	scheduleOnce sync.Once
	withSchedule *evaluator.Engine
	scheduleErr  error
)

// scheduleEngine returns the embedded ruleset's engine that evaluates the
// schedule too (Options.Schedule), prepared once for all tests.
func scheduleEngine(t testing.TB) *evaluator.Engine {
	t.Helper()
	scheduleOnce.Do(func() {
		var rs *ruleset.Ruleset
		rs, scheduleErr = ruleset.Load([]ruleset.Source{policies.Source(policies.Default)}, nil)
		if scheduleErr == nil {
			withSchedule, scheduleErr = evaluator.New(context.Background(), rs, evaluator.Options{Schedule: true})
		}
	})
	if scheduleErr != nil {
		t.Fatal(scheduleErr)
	}
	return withSchedule
}

// The schedule is a second query: evaluated only by an engine that asks for
// it, with the same figures as the seed's Table 1, and nothing else changes.
func TestScheduleOnlyWhenAsked(t *testing.T) {
	with := evaluate(t, scheduleEngine(t), seed)
	without := evaluate(t, engine(t), seed)
	if without.Schedule != nil {
		t.Errorf("an engine without Options.Schedule gave a schedule")
	}
	if with.Schedule == nil {
		t.Fatal("an engine with Options.Schedule gave no schedule")
	}
	if with.Schedule.FiscalYear != 2021 || with.Schedule.LagDays != 30 || len(with.Schedule.Rows) != 8 {
		t.Errorf("schedule: fiscal year %d, lag %d, %d rows; want 2021, 30, 8 (C1–C7 and C7's predecessor)", with.Schedule.FiscalYear, with.Schedule.LagDays, len(with.Schedule.Rows))
	}
	// C6 (蓉易办): 3 cycles of 26.9 a year; the third of 2021 is paid in 2022.
	for _, r := range with.Schedule.Rows {
		if r.ID == "C6" {
			if got := r.Recommended["2021"].String(); got != "53.8" {
				t.Errorf("C6 recommended 2021 = %s, want 53.8", got)
			}
		}
	}
	with.Schedule = nil
	if with.Score.Total.String() != without.Score.Total.String() || !with.Budget.Recommended.Equal(without.Budget.Recommended) || len(with.Findings) != len(without.Findings) {
		t.Errorf("the schedule changed the result: %s/%s vs %s/%s", with.Score.Total, with.Budget.Recommended, without.Score.Total, without.Budget.Recommended)
	}
}

// The policies place each payment in a year; the evaluator sums them into
// the table's columns. C1 of the seed: 30% (67.8) paid in 2020, 40% (90.4)
// due in 2021, 30% (67.8) on a trigger only ("later"). C7's predecessor:
// 10.5 unpaid from 2020, an arrear paid in 2021, nothing paid yet. C1's
// maintenance is prepaid: its share of 2021 (20, as line L1 shows) moves to
// later.
func TestScheduleColumnsSumPayments(t *testing.T) {
	doc := evaluate(t, scheduleEngine(t), seed)
	columns := func(m map[string]decimal.Decimal) string {
		var cells []string
		for _, year := range slices.Sorted(maps.Keys(m)) {
			cells = append(cells, year+"="+m[year].String())
		}
		return strings.Join(cells, " ")
	}
	want := map[string][3]string{ // contracted, paid, recommended
		"C1":             {"2020=67.8 2021=90.4 later=67.8", "2020=67.8", "2020=67.8 2021=70.4 later=87.8"},
		"C7:predecessor": {"2020=10.5", "", "2021=10.5"},
	}
	for _, r := range doc.Schedule.Rows {
		w, ok := want[r.ID]
		if !ok {
			continue
		}
		delete(want, r.ID)
		if got := columns(r.Contracted); got != w[0] {
			t.Errorf("%s contracted: %s, want %s", r.ID, got, w[0])
		}
		if got := columns(r.Paid); got != w[1] {
			t.Errorf("%s paid: %s, want %s", r.ID, got, w[1])
		}
		if got := columns(r.Recommended); got != w[2] {
			t.Errorf("%s recommended: %s, want %s", r.ID, got, w[2])
		}
	}
	if len(want) > 0 {
		t.Errorf("rows missing from the schedule: %v", want)
	}
}
