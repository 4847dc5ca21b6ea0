package impact

import (
	"cmp"
	"slices"

	"github.com/shopspring/decimal"
)

// Schema names the JSON report's shape.
const Schema = "budgetcheck.impact/v1"

// Side names one of the two sides compared: its rulesets (one, or one per
// procedure when the ruleset is chosen per submission) and the data
// overlays merged over them.
type Side struct {
	Rulesets []Ruleset `json:"rulesets"`
	Data     []string  `json:"data,omitempty"`
}

// Ruleset names a ruleset: its manifest's name and version and where it was
// read from ("embedded:chengdu", a folder).
type Ruleset struct {
	Name    string `json:"name"`
	Version string `json:"version"`
	Source  string `json:"source"`
}

// Report is the impact of a rule change on a batch of submissions.
type Report struct {
	Schema string `json:"schema"`
	Base   Side   `json:"base"`
	New    Side   `json:"new"`
	Inputs int    `json:"inputs"` // input files
	// Projects are the submissions compared (a workbook may hold several);
	// Changed + Unchanged = Projects.
	Projects  int `json:"projects"`
	Changed   int `json:"changed"`
	Unchanged int `json:"unchanged"`
	// OutcomeChanged counts the projects whose grade or conclusion changed.
	OutcomeChanged int `json:"outcome_changed"`
	// NotEvaluated counts the projects that neither ruleset could evaluate
	// (a file that does not load, mostly).
	NotEvaluated int `json:"not_evaluated"`
	// Outcomes is the transition matrix: one cell per pair of outcomes that
	// occurs, the unchanged ones (from = to) included.
	Outcomes []Transition `json:"outcomes"`
	Score    ScoreDeltas  `json:"score"`
	// Findings are the findings added and removed, by code.
	Findings []FindingCount `json:"findings"`
	Budget   Budget         `json:"budget"`
	// ChangedProjects are the projects where anything changed: those whose
	// outcome changed first, then the others, each in input order.
	ChangedProjects []Project `json:"changed_projects"`
	// Partial is set when the run was interrupted before every input was done.
	Partial bool `json:"partial,omitempty"`
}

// Transition is one cell of the outcome matrix.
type Transition struct {
	From  Outcome `json:"from"`
	To    Outcome `json:"to"`
	Count int     `json:"count"`
}

// ScoreDeltas are the score changes (new − base) of the projects scored under
// both rulesets whose score changed: how many, and the smallest, median and
// largest change (absent when none changed).
type ScoreDeltas struct {
	Changed int              `json:"changed"`
	Min     *decimal.Decimal `json:"min,omitempty"`
	Median  *decimal.Decimal `json:"median,omitempty"`
	Max     *decimal.Decimal `json:"max,omitempty"`
}

// FindingCount is how many findings of one code the change adds and removes.
type FindingCount struct {
	Code    string `json:"code"`
	Title   string `json:"title"`
	Added   int    `json:"added"`
	Removed int    `json:"removed"`
}

// Budget is the recommended budget of all projects before and after, in
// Unit. A project that a side could not evaluate counts 0 on that side, as
// in a batch's totals, so Change = After − Before = the sum of the projects'
// changes.
type Budget struct {
	Unit   string          `json:"unit"`
	Before decimal.Decimal `json:"before"`
	After  decimal.Decimal `json:"after"`
	Change decimal.Decimal `json:"change"`
}

// Tally adds compared projects up, in input order, into a Report. Unchanged
// projects are counted and dropped, so memory grows with the changes only.
type Tally struct {
	r           Report
	cells       map[[2]string]*Transition
	deltas      []decimal.Decimal
	findings    map[string]*FindingCount
	outcomeMove []Project
	otherMove   []Project
}

// NewTally starts a report comparing base with next.
func NewTally(base, next Side) *Tally {
	return &Tally{
		r:        Report{Schema: Schema, Base: base, New: next, Budget: Budget{Unit: Unit.Name}},
		cells:    map[[2]string]*Transition{},
		findings: map[string]*FindingCount{},
	}
}

// Input counts one input file done.
func (t *Tally) Input() { t.r.Inputs++ }

// Add counts one compared project.
func (t *Tally) Add(p Project) {
	r := &t.r
	r.Projects++
	key := [2]string{p.Before.Code, p.After.Code}
	cell := t.cells[key]
	if cell == nil {
		cell = &Transition{From: p.Before, To: p.After}
		t.cells[key] = cell
	}
	cell.Count++
	if p.Before.Code == ErrorCode && p.After.Code == ErrorCode {
		r.NotEvaluated++
	}
	if p.Recommended.Before != nil {
		r.Budget.Before = r.Budget.Before.Add(*p.Recommended.Before)
	}
	if p.Recommended.After != nil {
		r.Budget.After = r.Budget.After.Add(*p.Recommended.After)
	}
	if d, ok := p.Score.Change(); ok && !d.IsZero() {
		t.deltas = append(t.deltas, d)
	}
	for _, f := range p.Added {
		t.finding(f).Added++
	}
	for _, f := range p.Removed {
		t.finding(f).Removed++
	}
	switch {
	case !p.Changed():
		r.Unchanged++
	case p.OutcomeChanged():
		r.Changed++
		r.OutcomeChanged++
		t.outcomeMove = append(t.outcomeMove, p)
	default:
		r.Changed++
		t.otherMove = append(t.otherMove, p)
	}
}

func (t *Tally) finding(f FindingRef) *FindingCount {
	c := t.findings[f.Code]
	if c == nil {
		c = &FindingCount{Code: f.Code, Title: f.Title}
		t.findings[f.Code] = c
	}
	return c
}

// Report finishes the tally.
func (t *Tally) Report(partial bool) *Report {
	r := t.r
	r.Partial = partial
	r.Budget.Change = r.Budget.After.Sub(r.Budget.Before)
	r.Outcomes = make([]Transition, 0, len(t.cells))
	for _, c := range t.cells {
		r.Outcomes = append(r.Outcomes, *c)
	}
	slices.SortFunc(r.Outcomes, func(a, b Transition) int {
		return cmp.Or(compareOutcomes(a.From.Code, b.From.Code), compareOutcomes(a.To.Code, b.To.Code))
	})
	r.Findings = make([]FindingCount, 0, len(t.findings))
	for _, c := range t.findings {
		r.Findings = append(r.Findings, *c)
	}
	slices.SortFunc(r.Findings, func(a, b FindingCount) int { return cmp.Compare(a.Code, b.Code) })
	r.Score = scoreDeltas(t.deltas)
	r.ChangedProjects = append(slices.Clip(t.outcomeMove), t.otherMove...)
	if r.ChangedProjects == nil {
		r.ChangedProjects = []Project{}
	}
	return &r
}

// scoreDeltas are the count, min, median and max of ds. The median of an
// even count is the mean of the middle two, exact in decimal (a half).
func scoreDeltas(ds []decimal.Decimal) ScoreDeltas {
	s := ScoreDeltas{Changed: len(ds)}
	if len(ds) == 0 {
		return s
	}
	sorted := slices.Clone(ds)
	slices.SortFunc(sorted, func(a, b decimal.Decimal) int { return a.Cmp(b) })
	lo, hi := sorted[0], sorted[len(sorted)-1]
	mid := sorted[len(sorted)/2]
	if len(sorted)%2 == 0 {
		mid = sorted[len(sorted)/2-1].Add(mid).Div(decimal.NewFromInt(2))
	}
	s.Min, s.Median, s.Max = &lo, &mid, &hi
	return s
}

// Transitions lists the outcome codes that occur, in matrix order, with
// their texts (before for rows, after for columns).
func (r *Report) outcomeAxes() (rows, cols []Outcome) {
	seenR, seenC := map[string]bool{}, map[string]bool{}
	for _, c := range r.Outcomes {
		if !seenR[c.From.Code] {
			seenR[c.From.Code] = true
			rows = append(rows, c.From)
		}
		if !seenC[c.To.Code] {
			seenC[c.To.Code] = true
			cols = append(cols, c.To)
		}
	}
	slices.SortFunc(cols, func(a, b Outcome) int { return compareOutcomes(a.Code, b.Code) })
	return rows, cols
}

// count is the matrix cell from → to.
func (r *Report) count(from, to string) int {
	for _, c := range r.Outcomes {
		if c.From.Code == from && c.To.Code == to {
			return c.Count
		}
	}
	return 0
}
