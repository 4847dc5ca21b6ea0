package impact_test

import (
	"context"
	"encoding/json"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"runtime/debug"
	"slices"
	"strings"
	"sync"
	"testing"
	"testing/fstest"
	"time"

	"github.com/shopspring/decimal"

	"github.com/budgetcheck/budgetcheck/evaluator"
	"github.com/budgetcheck/budgetcheck/evaluator/batch"
	"github.com/budgetcheck/budgetcheck/evaluator/impact"
	"github.com/budgetcheck/budgetcheck/evaluator/money"
	"github.com/budgetcheck/budgetcheck/evaluator/result"
	"github.com/budgetcheck/budgetcheck/evaluator/ruleset"
	"github.com/budgetcheck/budgetcheck/policies"
)

// lag0 is the rule change of the first test: cycles paid the day they end.
const lag0 = "params:\n  payment:\n    lag_days: 0\n"

// engine prepares the embedded pre-evaluation ruleset with an overlay (none
// when "").
func engine(t *testing.T, overlay string) *evaluator.Engine {
	t.Helper()
	return embeddedEngine(t, policies.Default, overlay)
}

// embeddedEngine prepares the embedded ruleset in dir with an overlay.
func embeddedEngine(t *testing.T, dir, overlay string) *evaluator.Engine {
	t.Helper()
	var overrides []ruleset.Source
	if overlay != "" {
		overrides = []ruleset.Source{{FS: fstest.MapFS{"overlay.yaml": {Data: []byte(overlay)}}, Dir: "overlay.yaml", Display: "overlay.yaml"}}
	}
	rs, err := ruleset.Load([]ruleset.Source{policies.Source(dir)}, overrides)
	if err != nil {
		t.Fatal(err)
	}
	eng, err := evaluator.New(context.Background(), rs, evaluator.Options{})
	if err != nil {
		t.Fatal(err)
	}
	return eng
}

var (
	genOnce sync.Once
	genDir  string
	genErr  error
)

// generated is the 2,000 submissions of `go run ./fixtures/gen -n 2000 -seed 1`,
// written once per test binary (the generator is a main package: it runs
// as a command).
func generated(t *testing.T) []string {
	t.Helper()
	genOnce.Do(func() {
		genDir, genErr = os.MkdirTemp("", "impact-gen-")
		if genErr != nil {
			return
		}
		out, err := exec.Command("go", "run", "../../fixtures/gen", "-n", "2000", "-seed", "1", "-out", genDir).CombinedOutput()
		if err != nil {
			genErr = fmt.Errorf("fixtures/gen: %v\n%s", err, out)
		}
	})
	if genErr != nil {
		t.Fatal(genErr)
	}
	files, err := batch.Expand([]string{genDir}, nil)
	if err != nil {
		t.Fatal(err)
	}
	if len(files) != 2000 {
		t.Fatalf("fixtures/gen wrote %d submissions, want 2000", len(files))
	}
	return files
}

func TestMain(m *testing.M) {
	// As budgetcheck batch and impact do: evaluating makes much short-lived
	// garbage, and two prepared rulesets are a large live heap to rescan.
	debug.SetGCPercent(200)
	code := m.Run()
	if genDir != "" {
		os.RemoveAll(genDir)
	}
	os.Exit(code)
}

// fixtures are the pre-evaluation fixtures' submissions.
func fixtures(t *testing.T) []string {
	t.Helper()
	files, err := filepath.Glob("../../fixtures/*/submission.yaml")
	if err != nil || len(files) < 5 {
		t.Fatalf("fixtures: %v (%d files)", err, len(files))
	}
	return files
}

// runBatch runs a plain batch (as `budgetcheck batch` does) into out and
// returns its summary rows' recommended total.
func runBatch(t *testing.T, eng *evaluator.Engine, inputs []string, out string) decimal.Decimal {
	t.Helper()
	total := decimal.Zero
	_, err := batch.Run(context.Background(), eng, inputs, batch.Options{Workers: 2, OutDir: out}, func(it batch.Item) error {
		for _, r := range it.Rows {
			total = total.Add(r.Recommended)
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	return total
}

func readDoc(t *testing.T, out, input string) *result.Document {
	t.Helper()
	bs, err := os.ReadFile(batch.ResultPath(filepath.Join(out, batch.ResultsDir), input, 0, 1))
	if err != nil {
		t.Fatal(err)
	}
	var docs []*result.Document
	if err := json.Unmarshal(bs, &docs); err != nil {
		var doc result.Document
		if err2 := json.Unmarshal(bs, &doc); err2 != nil {
			t.Fatalf("%s: %v", input, err)
		}
		return &doc
	}
	return docs[0]
}

// want is what two batches' result documents say changed, computed here
// from the documents alone, without the impact package.
type want struct {
	transitions    map[[2]string]int
	changed        map[string]string // file → what changed, for the failure message
	outcomeChanged int
	deltas         []decimal.Decimal
	added, removed map[string]int // by code
	before, after  decimal.Decimal
	addedBy        map[string][]string // file → "CODE subject", sorted
	removedBy      map[string][]string
}

func outcome(d *result.Document) string {
	switch {
	case len(d.Errors) > 0:
		return "error"
	case d.Review != nil:
		return d.Review.Code
	}
	return d.Conclusion.Code
}

func wan(d *result.Document, amount decimal.Decimal) decimal.Decimal {
	u, _ := money.LookupUnit(d.Budget.Unit)
	fen, err := money.ToFen(amount, u)
	if err != nil {
		panic(err)
	}
	return money.FromFen(fen, money.WanYuan)
}

func multiset(d *result.Document) map[string]int {
	m := map[string]int{}
	for _, f := range d.Findings {
		if f.Waived == nil {
			m[f.Code+" "+f.Subject]++
		}
	}
	return m
}

func diffBatches(t *testing.T, inputs []string, outA, outB string) want {
	t.Helper()
	w := want{transitions: map[[2]string]int{}, changed: map[string]string{}, added: map[string]int{}, removed: map[string]int{},
		addedBy: map[string][]string{}, removedBy: map[string][]string{}}
	for _, in := range inputs {
		a, b := readDoc(t, outA, in), readDoc(t, outB, in)
		oa, ob := outcome(a), outcome(b)
		w.transitions[[2]string{oa, ob}]++
		var what []string
		if oa != ob {
			w.outcomeChanged++
			what = append(what, oa+"→"+ob)
		}
		if len(a.Errors) == 0 {
			w.before = w.before.Add(wan(a, a.Budget.Recommended))
		}
		if len(b.Errors) == 0 {
			w.after = w.after.Add(wan(b, b.Budget.Recommended))
		}
		if len(a.Errors) == 0 && len(b.Errors) == 0 {
			if d := b.Score.Total.Sub(a.Score.Total); !d.IsZero() {
				w.deltas = append(w.deltas, d)
				what = append(what, "score")
			}
			if !wan(a, a.Budget.Recommended).Equal(wan(b, b.Budget.Recommended)) {
				what = append(what, "recommended")
			}
		} else if (len(a.Errors) == 0) != (len(b.Errors) == 0) {
			what = append(what, "evaluated on one side")
		}
		ma, mb := multiset(a), multiset(b)
		for k, n := range mb {
			for range n - ma[k] {
				w.added[strings.Fields(k)[0]]++
				w.addedBy[in] = append(w.addedBy[in], k)
			}
		}
		for k, n := range ma {
			for range n - mb[k] {
				w.removed[strings.Fields(k)[0]]++
				w.removedBy[in] = append(w.removedBy[in], k)
			}
		}
		slices.Sort(w.addedBy[in])
		slices.Sort(w.removedBy[in])
		if len(w.addedBy[in])+len(w.removedBy[in]) > 0 {
			what = append(what, "findings")
		}
		if len(what) > 0 {
			w.changed[in] = strings.Join(what, ",")
		}
	}
	return w
}

func refs(fs []impact.FindingRef) []string {
	var out []string
	for _, f := range fs {
		out = append(out, strings.TrimSpace(f.Code+" "+f.Subject))
	}
	slices.Sort(out) // the batches' lists are in string order
	return out
}

// check compares an impact report with what the two batches say.
func check(t *testing.T, r *impact.Report, w want, inputs int, batchTotalA, batchTotalB decimal.Decimal) {
	t.Helper()
	if r.Projects != inputs || r.Inputs != inputs {
		t.Errorf("report: %d projects in %d inputs, want %d", r.Projects, r.Inputs, inputs)
	}
	got := map[[2]string]int{}
	for _, c := range r.Outcomes {
		got[[2]string{c.From.Code, c.To.Code}] = c.Count
	}
	for k, n := range w.transitions {
		if got[k] != n {
			t.Errorf("transition %s → %s: impact %d, batches %d", k[0], k[1], got[k], n)
		}
	}
	for k, n := range got {
		if w.transitions[k] == 0 {
			t.Errorf("transition %s → %s: impact %d, batches none", k[0], k[1], n)
		}
	}
	if r.OutcomeChanged != w.outcomeChanged {
		t.Errorf("outcome changed: impact %d, batches %d", r.OutcomeChanged, w.outcomeChanged)
	}
	if r.Changed != len(w.changed) || r.Unchanged != inputs-len(w.changed) || len(r.ChangedProjects) != len(w.changed) {
		t.Errorf("changed: impact %d (listed %d), unchanged %d; batches %d changed of %d", r.Changed, len(r.ChangedProjects), r.Unchanged, len(w.changed), inputs)
	}
	listedChange := decimal.Zero
	for _, p := range r.ChangedProjects {
		if _, ok := w.changed[p.File]; !ok {
			t.Errorf("%s: listed as changed, the batches agree", p.File)
			continue
		}
		if a, b := refs(p.Added), w.addedBy[p.File]; !slices.Equal(a, b) {
			t.Errorf("%s: findings added %v, batches %v", p.File, a, b)
		}
		if a, b := refs(p.Removed), w.removedBy[p.File]; !slices.Equal(a, b) {
			t.Errorf("%s: findings removed %v, batches %v", p.File, a, b)
		}
		if c, ok := p.Recommended.Change(); ok {
			listedChange = listedChange.Add(c)
		} else {
			if p.Recommended.After != nil {
				listedChange = listedChange.Add(*p.Recommended.After)
			}
			if p.Recommended.Before != nil {
				listedChange = listedChange.Sub(*p.Recommended.Before)
			}
		}
	}
	slices.SortFunc(w.deltas, decimal.Decimal.Cmp)
	if r.Score.Changed != len(w.deltas) {
		t.Errorf("scores changed: impact %d, batches %d", r.Score.Changed, len(w.deltas))
	} else if n := len(w.deltas); n > 0 {
		median := w.deltas[n/2]
		if n%2 == 0 {
			median = w.deltas[n/2-1].Add(median).Div(decimal.NewFromInt(2))
		}
		for name, pair := range map[string][2]decimal.Decimal{"min": {*r.Score.Min, w.deltas[0]}, "median": {*r.Score.Median, median}, "max": {*r.Score.Max, w.deltas[n-1]}} {
			if !pair[0].Equal(pair[1]) {
				t.Errorf("score delta %s: impact %s, batches %s", name, pair[0], pair[1])
			}
		}
	}
	gotF := map[string][2]int{}
	for _, f := range r.Findings {
		gotF[f.Code] = [2]int{f.Added, f.Removed}
	}
	for code := range mergeKeys(w.added, w.removed) {
		if g, e := gotF[code], [2]int{w.added[code], w.removed[code]}; g != e {
			t.Errorf("%s added/removed: impact %v, batches %v", code, g, e)
		}
	}
	if len(gotF) != len(mergeKeys(w.added, w.removed)) {
		t.Errorf("finding codes: impact %d, batches %d", len(gotF), len(mergeKeys(w.added, w.removed)))
	}
	b := r.Budget
	if !b.Before.Equal(w.before) || !b.After.Equal(w.after) || !b.Change.Equal(w.after.Sub(w.before)) {
		t.Errorf("budget: impact %s → %s (%s), batches %s → %s", b.Before, b.After, b.Change, w.before, w.after)
	}
	if !b.Before.Equal(batchTotalA) || !b.After.Equal(batchTotalB) {
		t.Errorf("budget: impact %s → %s, the batch summaries' totals %s → %s", b.Before, b.After, batchTotalA, batchTotalB)
	}
	if !listedChange.Equal(b.Change) {
		t.Errorf("the changed projects' changes add up to %s, the total change is %s", listedChange, b.Change)
	}
}

func mergeKeys(a, b map[string]int) map[string]bool {
	m := map[string]bool{}
	for k := range a {
		m[k] = true
	}
	for k := range b {
		m[k] = true
	}
	return m
}

// compareWithBatches runs two batches and impact over inputs and checks
// that impact's report gives exactly the batches' differences.
func compareWithBatches(t *testing.T, base, next *evaluator.Engine, inputs []string) *impact.Report {
	t.Helper()
	outA, outB := t.TempDir(), t.TempDir()
	start := time.Now()
	totalA := runBatch(t, base, inputs, outA)
	totalB := runBatch(t, next, inputs, outB)
	batches := time.Since(start)
	start = time.Now()
	r, err := impact.Run(context.Background(), base, next, inputs, impact.NewTally(impact.Side{}, impact.Side{}), impact.Options{Workers: 2})
	if err != nil {
		t.Fatal(err)
	}
	t.Logf("%d inputs: two batches %v, impact %v", len(inputs), batches.Round(time.Millisecond), time.Since(start).Round(time.Millisecond))
	check(t, r, diffBatches(t, inputs, outA, outB), len(inputs), totalA, totalB)
	return r
}

func TestLagDaysZeroMatchesTwoBatches(t *testing.T) {
	base, next := engine(t, ""), engine(t, lag0)

	t.Run("fixtures", func(t *testing.T) {
		r := compareWithBatches(t, base, next, fixtures(t))
		// The seed with cycles paid the day they end: C6's third cycle
		// (26.9) and C7's fourth (11.725) become payable in 2021.
		seed := filepath.Join("..", "..", "fixtures", "qingbaijiang-2021", "submission.yaml")
		i := slices.IndexFunc(r.ChangedProjects, func(p impact.Project) bool { return p.File == seed })
		if i < 0 {
			t.Fatalf("the seed is not among the changed projects: %+v", r.ChangedProjects)
		}
		p := r.ChangedProjects[i]
		if p.Recommended.Before.String() != "222.445" || p.Recommended.After.String() != "261.07" {
			t.Errorf("seed recommended %s → %s, want 222.445 → 261.07", p.Recommended.Before, p.Recommended.After)
		}
		if got := refs(p.Removed); !slices.Equal(got, []string{"ASSESSMENT_CYCLE_UNPAYABLE C6", "ASSESSMENT_CYCLE_UNPAYABLE C7"}) {
			t.Errorf("seed findings removed %v", got)
		}
	})
	t.Run("generated 2000", func(t *testing.T) {
		if testing.Short() {
			t.Skip("-short: 2,000 submissions evaluated four times")
		}
		r := compareWithBatches(t, base, next, generated(t))
		if r.Changed == 0 || r.Findings == nil {
			t.Fatalf("lag_days 0 changes nothing in 2,000 generated submissions: %+v", r)
		}
	})
}

// narrowSuffixes is the rule change of the second test: word lists of the
// target rules (policies/lib/targets), the endings a 质量, 时效 or 成本
// indicator's name must have, narrowed, so that more names are misnamed.
const narrowSuffixes = `params:
  targets:
    quality_suffixes: [合格率, 达标率]
    name_suffixes:
      时效: [及时率]
      成本: [成本]
`

// The target review (绩效目标审核) with a narrowed word list: its grades
// 优/良/中/差 move, and the transition counts must be the two batches'
// (whose outcome is the review grade of each result document).
func TestWordListChangeGradeTransitionsMatchTwoBatches(t *testing.T) {
	base, next := embeddedEngine(t, "target-review", ""), embeddedEngine(t, "target-review", narrowSuffixes)
	inputs := append(fixtures(t), generated(t)[:200]...)
	r := compareWithBatches(t, base, next, inputs)
	grades := []string{"excellent", "good", "fair", "poor"}
	moved := 0
	for _, c := range r.Outcomes {
		if !slices.Contains(grades, c.From.Code) || !slices.Contains(grades, c.To.Code) {
			t.Errorf("transition %s → %s: a target review gives grades", c.From.Code, c.To.Code)
		}
		if c.From.Code != c.To.Code {
			moved += c.Count
		}
	}
	if moved == 0 || moved != r.OutcomeChanged {
		t.Fatalf("the word-list change moves %d grades (outcome changed %d): %+v", moved, r.OutcomeChanged, r.Outcomes)
	}
	if !slices.ContainsFunc(r.Findings, func(f impact.FindingCount) bool { return f.Code == "TARGET_NAME_SUFFIX" && f.Added > 0 }) {
		t.Errorf("the word-list change adds no TARGET_NAME_SUFFIX: %+v", r.Findings)
	}
}

// The report is the same bytes in every format whatever the number of workers.
func TestSameBytesWhateverTheWorkers(t *testing.T) {
	base, next := engine(t, ""), engine(t, lag0)
	inputs := append(fixtures(t), generated(t)[:60]...)
	inputs = append(inputs, filepath.Join(t.TempDir(), "missing.yaml")) // an input that does not load
	outputs := func(workers int) map[string][]byte {
		side := impact.Side{Rulesets: []impact.Ruleset{{Name: "chengdu-pre-budget", Version: "1.0.0", Source: "embedded:chengdu"}}}
		r, err := impact.Run(context.Background(), base, next, inputs, impact.NewTally(side, side), impact.Options{Workers: workers})
		if err != nil {
			t.Fatal(err)
		}
		out := map[string][]byte{}
		for _, name := range impact.Formats {
			f, err := impact.Get(name, impact.FormatOptions{Lang: "zh", List: 10})
			if err != nil {
				t.Fatal(err)
			}
			var b strings.Builder
			if err := f.Write(&b, r); err != nil {
				t.Fatal(err)
			}
			out[name] = []byte(b.String())
		}
		return out
	}
	one, three := outputs(1), outputs(3)
	for _, name := range impact.Formats {
		if string(one[name]) != string(three[name]) {
			t.Errorf("%s differs between 1 and 3 workers", name)
		}
	}
	var r impact.Report
	if err := json.Unmarshal(one["json"], &r); err != nil {
		t.Fatal(err)
	}
	if r.NotEvaluated != 1 || r.Projects != len(inputs) {
		t.Errorf("json: %d projects, %d not evaluated; want %d and 1", r.Projects, r.NotEvaluated, len(inputs))
	}
}
