package evaluator

import (
	"context"
	"fmt"
	"path/filepath"
	"strings"
	"sync"

	"github.com/budgetcheck/budgetcheck/evaluator/result"
	"github.com/budgetcheck/budgetcheck/evaluator/ruleset"
	"github.com/budgetcheck/budgetcheck/evaluator/submission"
)

// Procedure is the procedure a submission calls for, chosen by what it holds:
// a 申报表 (a workbook's project, or a submission with targets or texts but
// no contracts and no budget lines) goes to the target review
// (result.TargetReview); anything else to the pre-budget evaluation
// (result.PreEvaluation).
func Procedure(sub *submission.Submission) string {
	if isWorkbook(sub.File) {
		return result.TargetReview
	}
	if len(sub.Contracts) > 0 || len(sub.BudgetLines) > 0 {
		return result.PreEvaluation
	}
	p := sub.Project
	if len(sub.Targets) > 0 || len(p.PolicyBasis) > 0 || strings.TrimSpace(p.CostBasisText) != "" || strings.TrimSpace(p.AnnualGoal) != "" {
		return result.TargetReview
	}
	return result.PreEvaluation
}

func isWorkbook(file string) bool {
	switch strings.ToLower(filepath.Ext(file)) {
	case ".xlsx", ".xlsm":
		return true
	}
	return false
}

// ProcedureOf is the procedure a ruleset's manifest names (pre_evaluation
// when it names none).
func ProcedureOf(rs *ruleset.Ruleset) string {
	if rs.Manifest.Procedure == "" {
		return result.PreEvaluation
	}
	return rs.Manifest.Procedure
}

// Engines holds one Engine per procedure and chooses one for each
// submission. An engine's query is compiled and prepared once per process,
// the first time a submission calls for its procedure; Engines is safe for
// concurrent use. With a single ruleset (Fixed) every submission goes to it.
type Engines struct {
	opts    Options
	entries map[string]*lazyEngine
	fixed   *lazyEngine
}

type lazyEngine struct {
	rs   *ruleset.Ruleset
	once sync.Once
	eng  *Engine
	err  error
}

// get prepares the engine the first time, in whichever language asks first,
// and returns it in opts.Lang.
func (l *lazyEngine) get(ctx context.Context, opts Options) (*Engine, error) {
	l.once.Do(func() { l.eng, l.err = New(ctx, l.rs, opts) })
	if l.err != nil {
		return nil, l.err
	}
	return l.eng.InLang(opts.Lang), nil
}

// NewEngines chooses among rulesets by their manifests' procedures; one
// ruleset per procedure.
func NewEngines(rulesets []*ruleset.Ruleset, opts Options) (*Engines, error) {
	e := &Engines{opts: defaults(opts), entries: map[string]*lazyEngine{}}
	for _, rs := range rulesets {
		p := ProcedureOf(rs)
		if prev, dup := e.entries[p]; dup {
			return nil, fmt.Errorf("rulesets %s and %s both do %s", prev.rs.Source, rs.Source, p)
		}
		e.entries[p] = &lazyEngine{rs: rs}
	}
	if len(e.entries) == 0 {
		return nil, fmt.Errorf("no ruleset")
	}
	return e, nil
}

// Fixed sends every submission to the one engine given (--ruleset, --policy).
func Fixed(eng *Engine) *Engines {
	l := &lazyEngine{rs: eng.rs, eng: eng}
	l.once.Do(func() {})
	return &Engines{opts: eng.opts, entries: map[string]*lazyEngine{ProcedureOf(eng.rs): l}, fixed: l}
}

// For returns the engine for sub: the fixed one, else the one of its
// Procedure, else the pre-evaluation's.
func (e *Engines) For(ctx context.Context, sub *submission.Submission) (*Engine, error) {
	if e.fixed != nil {
		return e.fixed.get(ctx, e.opts)
	}
	l, ok := e.entries[Procedure(sub)]
	if !ok {
		l = e.entries[e.Rulesets()[0].Manifest.Procedure]
		if l == nil {
			l = e.entries[result.PreEvaluation]
		}
	}
	// an engine prepared for one submission serves the rest of the run
	return l.get(context.WithoutCancel(ctx), e.opts)
}

// Evaluate judges sub with the engine of its procedure.
func (e *Engines) Evaluate(ctx context.Context, sub *submission.Submission) (*result.Document, error) {
	eng, err := e.For(ctx, sub)
	if err != nil {
		return nil, err
	}
	return eng.Evaluate(ctx, sub)
}

// Rulesets lists the rulesets, the pre-evaluation's first.
func (e *Engines) Rulesets() []*ruleset.Ruleset {
	var out []*ruleset.Ruleset
	for _, p := range []string{result.PreEvaluation, result.TargetReview} {
		if l, ok := e.entries[p]; ok {
			out = append(out, l.rs)
		}
	}
	return out
}

// Lang returns the language the engines write results in.
func (e *Engines) Lang() string { return e.opts.Lang }

// InLang returns engines that write their results in lang and share e's
// rulesets and prepared queries (the server holds one copy for zh and en).
func (e *Engines) InLang(lang string) *Engines {
	in := *e
	in.opts.Lang = lang
	return &in
}

// Prepare prepares every engine now, so that a ruleset that does not
// compile is reported before any submission is read.
func (e *Engines) Prepare(ctx context.Context) error {
	for _, rs := range e.Rulesets() {
		if _, err := e.entries[ProcedureOf(rs)].get(ctx, e.opts); err != nil {
			return err
		}
	}
	return nil
}

func defaults(opts Options) Options {
	if opts.Lang == "" {
		opts.Lang = ruleset.LangZh
	}
	if opts.Timeout <= 0 {
		opts.Timeout = DefaultTimeout
	}
	return opts
}

// Catalog is the rulesets' catalogues together: every finding either
// declares, the pre-evaluation's indicators, basic items and conclusion.
func (e *Engines) Catalog() *ruleset.Catalog {
	out := &ruleset.Catalog{Findings: map[string]ruleset.FindingDef{}, Notes: map[string]ruleset.Text{}}
	for i, rs := range e.Rulesets() {
		cat := rs.Catalog
		if i == 0 {
			out.Indicators, out.Basic, out.Conclusion = cat.Indicators, cat.Basic, cat.Conclusion
		}
		if cat.Review != nil && out.Review == nil {
			out.Review = cat.Review
		}
		for k, v := range cat.Findings {
			out.Findings[k] = v
		}
		for k, v := range cat.Notes {
			out.Notes[k] = v
		}
	}
	return out
}
