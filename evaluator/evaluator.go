// Package evaluator judges budget submissions with a ruleset: it compiles the
// ruleset and prepares its one query once per process, then for each
// submission derives the policies' input, evaluates the prepared query and
// collects the result document with exact decimal arithmetic.
//
// The data flows one way: submission.Load → derive.Input → Engine.Evaluate
// (one prepared query) → result.Document → output.
package evaluator

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"strings"
	"time"

	"github.com/open-policy-agent/opa/v1/ast"
	"github.com/open-policy-agent/opa/v1/rego"
	"github.com/open-policy-agent/opa/v1/storage/inmem"
	"github.com/open-policy-agent/opa/v1/topdown"

	"github.com/budgetcheck/budgetcheck/evaluator/derive"
	"github.com/budgetcheck/budgetcheck/evaluator/result"
	"github.com/budgetcheck/budgetcheck/evaluator/ruleset"
	"github.com/budgetcheck/budgetcheck/evaluator/submission"
)

// Query is the document budgetcheck evaluates for every submission.
const Query = "data.budgetcheck.main.result"

// ScheduleQuery is the contracts' payment plan (Table 1 of the report),
// evaluated only by an engine made with Options.Schedule.
const ScheduleQuery = "data.budgetcheck.schedule.plan"

// bothQuery is what an engine made with Options.Schedule evaluates instead
// of Query: the result and the plan in one evaluation, so that the rules
// both use (the contracts' cycles, arrears, prepaid maintenance …) are
// evaluated once, not once per query.
const bothQuery = "[" + Query + ", " + ScheduleQuery + "]"

// DefaultTimeout bounds one submission's evaluation.
const DefaultTimeout = 5 * time.Second

// ForbiddenBuiltins are left out of the policies' capabilities: results must
// be reproducible and evaluation must not reach outside. An entry ending in
// "." forbids the whole namespace.
var ForbiddenBuiltins = []string{"http.send", "net.", "opa.runtime", "time.now_ns", "rand.", "uuid."}

// Options tune an Engine.
type Options struct {
	// Lang is the language of the texts in results: "zh" (default) or "en".
	Lang string
	// Timeout bounds one evaluation (0 means DefaultTimeout).
	Timeout time.Duration
	// Schedule fills Document.Schedule, the contracts' payment plan by year,
	// evaluated with the result in one query. Only the outputs that show it
	// need it (report, schedule, check's json document, serve); a batch does
	// without, which spares about a fifth of the policies' work.
	Schedule bool
}

// Engine evaluates submissions with one compiled ruleset. It is safe for
// concurrent use: the query is prepared once and shared.
type Engine struct {
	rs    *ruleset.Ruleset
	query rego.PreparedEvalQuery
	// both is bothQuery, nil without Options.Schedule or when the ruleset
	// has no schedule; Evaluate then evaluates it instead of query.
	both *rego.PreparedEvalQuery
	opts Options
}

// Capabilities returns the sandbox: this OPA version's builtins less
// ForbiddenBuiltins.
func Capabilities() *ast.Capabilities {
	caps := ast.CapabilitiesForThisVersion()
	kept := caps.Builtins[:0]
	for _, b := range caps.Builtins {
		if !Forbidden(b.Name) {
			kept = append(kept, b)
		}
	}
	caps.Builtins = kept
	return caps
}

// Forbidden reports whether the builtin name is outside the sandbox.
func Forbidden(name string) bool {
	for _, f := range ForbiddenBuiltins {
		if name == f || strings.HasSuffix(f, ".") && strings.HasPrefix(name, f) {
			return true
		}
	}
	return false
}

// Compile compiles modules in the sandbox. A call to a forbidden builtin is
// reported with the builtin's name and file:line.
func Compile(modules map[string]*ast.Module) (*ast.Compiler, error) {
	c := ast.NewCompiler().
		WithCapabilities(Capabilities()).
		WithEnablePrintStatements(false)
	c.Compile(modules)
	if c.Failed() {
		return nil, explainCompile(c.Errors)
	}
	return c, nil
}

// explainCompile rewrites "undefined function" errors for sandboxed builtins
// so that the author learns why.
func explainCompile(errs ast.Errors) error {
	for _, e := range errs {
		for _, f := range ForbiddenBuiltins {
			name := strings.TrimSuffix(f, ".")
			if strings.Contains(e.Message, "undefined function "+name) {
				e.Message = strings.Replace(e.Message, "undefined function", "builtin not allowed in budgetcheck policies (results must be reproducible and offline):", 1)
			}
		}
	}
	return errs
}

// New compiles the ruleset and prepares its queries, once.
func New(ctx context.Context, rs *ruleset.Ruleset, opts Options) (*Engine, error) {
	opts = defaults(opts)
	compiler, err := Compile(rs.Modules)
	if err != nil {
		return nil, err
	}
	store := inmem.NewFromObjectWithOpts(rs.Data, inmem.OptRoundTripOnWrite(false), inmem.OptReturnASTValuesOnRead(true))
	prepare := func(query string) (rego.PreparedEvalQuery, error) {
		pq, err := rego.New(
			rego.Query(query),
			rego.Compiler(compiler),
			rego.Store(store),
			rego.StrictBuiltinErrors(true),
		).PrepareForEval(ctx)
		if err != nil {
			return pq, fmt.Errorf("prepare %s: %w", query, err)
		}
		return pq, nil
	}
	e := &Engine{rs: rs, opts: opts}
	if e.query, err = prepare(Query); err != nil {
		return nil, err
	}
	if opts.Schedule && len(compiler.GetRulesExact(ast.MustParseRef(ScheduleQuery))) > 0 {
		pq, err := prepare(bothQuery)
		if err != nil {
			return nil, err
		}
		e.both = &pq
	}
	return e, nil
}

// Ruleset returns the engine's ruleset.
func (e *Engine) Ruleset() *ruleset.Ruleset { return e.rs }

// Options returns the options the engine was made with.
func (e *Engine) Options() Options { return e.opts }

// Lang returns the language the engine writes results in.
func (e *Engine) Lang() string { return e.opts.Lang }

// InLang returns an engine that writes its results in lang and shares e's
// ruleset and prepared queries: the policies' result does not depend on the
// language, only the texts collect writes do.
func (e *Engine) InLang(lang string) *Engine {
	if lang == e.opts.Lang {
		return e
	}
	in := *e
	in.opts.Lang = lang
	return &in
}

// ErrFiscalYear is returned when the ruleset does not cover the submission's year.
var ErrFiscalYear = errors.New("fiscal year not covered by the ruleset")

// PolicyError is a failure of the policies themselves while evaluating a
// submission: a runtime error, a timeout, or a malformed result. It fails
// that submission only; check exits 3 and batch writes an error row.
type PolicyError struct {
	File string // the submission
	// Rule is the rule the failure comes from when it can be told
	// ("data.budgetcheck.findings.fault_level"), At its file:line in the
	// ruleset, and Code the finding code it emits, if any.
	Rule string
	At   string
	Code string
	Err  error
}

func (e *PolicyError) Error() string {
	switch {
	case e.Rule != "" && e.Code != "":
		return fmt.Sprintf("%s: policy evaluation failed in rule %s (%s, finding %s): %v", e.File, e.Rule, e.At, e.Code, e.Err)
	case e.Rule != "":
		return fmt.Sprintf("%s: policy evaluation failed in rule %s (%s): %v", e.File, e.Rule, e.At, e.Err)
	}
	return fmt.Sprintf("%s: policy evaluation failed: %v", e.File, e.Err)
}
func (e *PolicyError) Unwrap() error { return e.Err }

// Evaluate judges one validated submission.
func (e *Engine) Evaluate(ctx context.Context, sub *submission.Submission) (*result.Document, error) {
	m := e.rs.Manifest
	if fy := sub.Project.FiscalYear; !m.FiscalYears.Covers(fy) {
		return nil, submission.Problems{{
			Code: "fiscal_year_not_covered", Path: "project.fiscal_year", Pos: sub.Pos("project.fiscal_year"),
			Message: fmt.Sprintf("ruleset %s %s covers fiscal years %d–%d, not %d (%v)", m.Name, m.Version, m.FiscalYears.From, m.FiscalYears.To, fy, ErrFiscalYear),
		}}
	}
	input, err := e.Input(sub)
	if err != nil {
		return nil, err
	}
	query, name, as := e.query, Query, asJSON
	if e.both != nil {
		query, name, as = *e.both, bothQuery, asJSONPair
	}
	out, err := e.eval(ctx, query, name, input, as)
	if err != nil {
		return nil, e.policyError(ctx, sub, query, input, err)
	}
	var raw, plan json.RawMessage
	switch out := out.(type) {
	case json.RawMessage:
		raw = out
	case []json.RawMessage:
		raw, plan = out[0], out[1]
	}
	doc, err := collect(e.rs, sub, raw, e.opts.Lang)
	if err != nil {
		pe := &PolicyError{File: sub.File, Err: err}
		pe.Rule, pe.At, pe.Code = e.malformedFinding(raw)
		return nil, pe
	}
	if e.both != nil {
		if doc.Schedule, err = decodeSchedule(sub, plan); err != nil {
			return nil, &PolicyError{File: sub.File, Err: err}
		}
	}
	return doc, nil
}

// policyError names, where it can, the rule a failed evaluation stopped in.
func (e *Engine) policyError(ctx context.Context, sub *submission.Submission, query rego.PreparedEvalQuery, input ast.Value, err error) error {
	pe := &PolicyError{File: sub.File, Err: err}
	var te *topdown.Error
	switch {
	case errors.As(err, &te) && te.Location != nil:
		pe.Rule, pe.At = e.ruleAt(te.Location)
	case errors.Is(err, errTimeout) && ctx.Err() == nil:
		pe.Rule, pe.At = e.runningRule(ctx, query, input)
	}
	if errors.Is(err, errTimeout) {
		// Not the policy's fault when the submission is large: say how large.
		pe.Err = fmt.Errorf("%w; the submission has %s: if that is large, raise --timeout; otherwise a policy may not terminate", err, size(sub))
	}
	return pe
}

// Input derives the policies' input document for sub as an OPA value.
func (e *Engine) Input(sub *submission.Submission) (ast.Value, error) {
	v, err := derive.Value(sub)
	if err != nil {
		return nil, submission.Problems{{Code: submission.CodeInvalidAmount, Pos: submission.Pos{File: sub.File}, Message: err.Error()}}
	}
	return v, nil
}

func (e *Engine) eval(ctx context.Context, query rego.PreparedEvalQuery, name string, input ast.Value, as rego.EvalOption) (any, error) {
	ctx, cancel := context.WithTimeout(ctx, e.opts.Timeout)
	defer cancel()
	rs, err := query.Eval(ctx, rego.EvalParsedInput(input), as)
	// OPA notices the deadline only now and then, so an evaluation can finish
	// after it; it still took longer than allowed, whatever its result.
	if errors.Is(ctx.Err(), context.DeadlineExceeded) || err != nil && topdown.IsCancel(err) {
		return nil, fmt.Errorf("evaluation took longer than %s (--timeout)%w", e.opts.Timeout, errTimeout)
	}
	if err != nil {
		return nil, err
	}
	if len(rs) == 0 || len(rs[0].Expressions) == 0 {
		return nil, fmt.Errorf("%s is undefined: a policy failed to produce a result", name)
	}
	return rs[0].Expressions[0].Value, nil
}

// errTimeout marks an evaluation stopped by Options.Timeout.
// (Its text is empty: the message says it already.)
var errTimeout = errors.New("")

// size counts what an evaluation's time grows with.
func size(sub *submission.Submission) string {
	payments := 0
	for _, c := range sub.Contracts {
		payments += len(c.Instalments)
		if c.Cycle != nil {
			payments += c.Cycle.CyclesPerYear * c.Cycle.TermYears
		}
	}
	return fmt.Sprintf("%d sub-projects, %d targets, %d contracts with %d payments, %d budget lines",
		len(sub.Subprojects), len(sub.Targets), len(sub.Contracts), payments, len(sub.BudgetLines))
}

// ruleAt names the rule that spans loc: its path and file:line.
func (e *Engine) ruleAt(loc *ast.Location) (string, string) {
	var best *ast.Rule
	for _, m := range e.rs.Modules {
		for _, r := range m.Rules {
			if r.Location == nil || r.Location.File != loc.File || r.Location.Row > loc.Row {
				continue
			}
			if r.Location.Row+strings.Count(string(r.Location.Text), "\n") < loc.Row {
				continue
			}
			if best == nil || r.Location.Row > best.Location.Row {
				best = r
			}
		}
	}
	if best == nil {
		return "", ""
	}
	return best.Ref().String(), fmt.Sprintf("%s:%d", best.Location.File, best.Location.Row)
}

// runningRule evaluates input again with a tracer, under the same timeout,
// and names the last rule entered before time ran out: the likely culprit.
// It runs only after a timeout, so the tracer's cost is not paid otherwise.
func (e *Engine) runningRule(ctx context.Context, query rego.PreparedEvalQuery, input ast.Value) (string, string) {
	ctx, cancel := context.WithTimeout(ctx, e.opts.Timeout)
	defer cancel()
	t := &lastRule{}
	if _, err := query.Eval(ctx, rego.EvalParsedInput(input), rego.EvalQueryTracer(t)); err == nil || t.rule == nil {
		return "", ""
	}
	return t.rule.Ref().String(), fmt.Sprintf("%s:%d", t.rule.Location.File, t.rule.Location.Row)
}

// lastRule is a query tracer that remembers the last rule entered.
type lastRule struct{ rule *ast.Rule }

func (*lastRule) Enabled() bool               { return true }
func (*lastRule) Config() topdown.TraceConfig { return topdown.TraceConfig{} }
func (t *lastRule) TraceEvent(ev topdown.Event) {
	if r, ok := ev.Node.(*ast.Rule); ok && ev.Op == topdown.EnterOp && r.Location != nil {
		t.rule = r
	}
}

// malformedFinding finds, in the policies' raw result, the first finding
// that collect cannot use (no code, or an adjustment that is not a whole
// number of fen) and names the rule that emits it: by its code, or, for a
// finding without a code, the finding rules whose code is computed.
func (e *Engine) malformedFinding(text json.RawMessage) (rule, at, code string) {
	var raw any
	dec := json.NewDecoder(bytes.NewReader(text))
	dec.UseNumber()
	_ = dec.Decode(&raw)
	res, _ := raw.(map[string]any)
	findings, _ := res["findings"].([]any)
	for _, f := range findings {
		finding, _ := f.(map[string]any)
		code, _ = finding["code"].(string)
		malformed := code == ""
		adjustments, _ := finding["adjustments"].([]any)
		for _, a := range adjustments {
			adj, _ := a.(map[string]any)
			if n, ok := adj["amount_fen"].(json.Number); !ok || strings.ContainsAny(n.String(), ".eE") {
				malformed = true
			}
		}
		if !malformed {
			continue
		}
		var names, places []string
		for _, r := range e.findingRules(code) {
			names = append(names, r.Ref().String())
			places = append(places, fmt.Sprintf("%s:%d", r.Location.File, r.Location.Row))
		}
		return strings.Join(names, " or "), strings.Join(places, ", "), code
	}
	return "", "", ""
}

// findingRules returns the `findings contains` rules whose METADATA declares
// code or, when code is empty, those whose head does not state a code.
func (e *Engine) findingRules(code string) []*ast.Rule {
	var rules []*ast.Rule
	for _, name := range e.rs.ModuleNames() {
		for _, r := range e.rs.Modules[name].Rules {
			if r.Location == nil || r.Head.Key == nil || len(r.Head.Ref()) != 1 || r.Head.Ref()[0].String() != "findings" {
				continue
			}
			if code == "" {
				obj, ok := r.Head.Key.Value.(ast.Object)
				if ok && obj.Get(ast.StringTerm("code")) != nil {
					continue
				}
				rules = append(rules, r)
				continue
			}
			for _, a := range r.Annotations {
				if c, _ := a.Custom["code"].(string); c == code {
					rules = append(rules, r)
					break
				}
			}
		}
	}
	return rules
}
