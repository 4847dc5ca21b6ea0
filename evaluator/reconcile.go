package evaluator

import (
	"fmt"
	"maps"
	"slices"

	"github.com/shopspring/decimal"

	"github.com/budgetcheck/budgetcheck/evaluator/result"
	"github.com/budgetcheck/budgetcheck/evaluator/schedule"
)

// Reconcile checks that a result document's figures reconcile and returns
// every way they do not (none for a sound document):
//
//   - the recommended total is the sum of the recommended lines (plus the
//     declared total when the submission has no budget lines);
//   - change = recommended − requested, for the budget and for each line;
//   - no line is requested or recommended below zero;
//   - requested_lines is the sum of the requested lines;
//   - the findings' adjustments to each line add up to its change;
//   - every cut that no line took is a budget note with an amount;
//   - the schedule's column for the fiscal year equals the recommended
//     budget, or its notes explain the whole difference.
//
// collect keeps the budget's part by construction; the tests check all of it
// on every fixture and on generated submissions.
func Reconcile(doc *result.Document) []string {
	bad := reconcileBudget(doc)
	if doc.Schedule == nil {
		return bad
	}
	t, err := schedule.Build(doc, schedule.Options{Lang: doc.Lang})
	if err != nil {
		return append(bad, err.Error())
	}
	if t.Reconciled {
		return bad
	}
	explained, notes := decimal.Zero, 0
	for _, n := range t.Notes {
		if n.Difference != nil && n.Text != "" {
			explained = explained.Add(*n.Difference)
			notes++
		}
	}
	if diff := t.Fiscal.Sub(t.Budget); notes == 0 || !explained.Equal(diff) {
		bad = append(bad, fmt.Sprintf("schedule: the %d column %s differs from the recommended budget %s by %s; its %d notes explain %s", t.FiscalYear, t.Fiscal, t.Budget, diff, notes, explained))
	}
	return bad
}

// reconcileBudget checks the budget's part of Reconcile: what collect
// enforces on every document it builds.
func reconcileBudget(doc *result.Document) []string {
	var bad []string
	add := func(format string, args ...any) { bad = append(bad, fmt.Sprintf(format, args...)) }
	b := doc.Budget

	lines, requested := decimal.Zero, decimal.Zero
	itemised := false
	adjusted := map[string]decimal.Decimal{}
	for _, f := range doc.Findings {
		for _, a := range f.Adjustments {
			adjusted[a.Line] = adjusted[a.Line].Add(a.Amount)
		}
	}
	for _, l := range b.Lines {
		lines = lines.Add(l.Recommended)
		if !l.New {
			itemised = true
			requested = requested.Add(l.Requested)
		}
		if l.Recommended.IsNegative() || l.Requested.IsNegative() {
			add("line %s: requested %s, recommended %s: below zero", l.ID, l.Requested, l.Recommended)
		}
		if !l.Change.Equal(l.Recommended.Sub(l.Requested)) {
			add("line %s: change %s ≠ recommended %s − requested %s", l.ID, l.Change, l.Recommended, l.Requested)
		}
		if !adjusted[l.ID].Equal(l.Change) {
			add("line %s: the findings adjust it by %s but its change is %s", l.ID, adjusted[l.ID], l.Change)
		}
		delete(adjusted, l.ID)
	}
	for _, id := range slices.Sorted(maps.Keys(adjusted)) {
		add("findings adjust line %s by %s, which the budget does not have", id, adjusted[id])
	}
	want := lines
	if !itemised {
		want = want.Add(b.Requested)
	}
	if !b.Recommended.Equal(want) {
		add("recommended %s ≠ the sum of the recommended lines %s", b.Recommended, want)
	}
	if !b.Change.Equal(b.Recommended.Sub(b.Requested)) {
		add("change %s ≠ recommended %s − requested %s", b.Change, b.Recommended, b.Requested)
	}
	if !b.RequestedLines.Equal(requested) {
		add("requested_lines %s ≠ the sum of the requested lines %s", b.RequestedLines, requested)
	}
	for _, n := range b.Notes {
		if n.Code == result.UnplacedCut && (!n.Amount.IsNegative() || n.Text == "") {
			add("budget note %s (%s %s): amount %s, text %q", n.Code, n.Finding, n.Subject, n.Amount, n.Text)
		}
	}
	return bad
}
