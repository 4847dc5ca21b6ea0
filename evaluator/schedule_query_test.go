package evaluator_test

import (
	"context"
	"sync"
	"testing"

	"github.com/budgetcheck/budgetcheck/evaluator"
	"github.com/budgetcheck/budgetcheck/evaluator/ruleset"
	"github.com/budgetcheck/budgetcheck/evaluator/submission"
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
	sub, err := submission.Load(seed, submission.Options{})
	if err != nil {
		t.Fatal(err)
	}
	with, err := scheduleEngine(t).Evaluate(context.Background(), sub)
	if err != nil {
		t.Fatal(err)
	}
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
