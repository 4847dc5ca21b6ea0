package evaluator

import (
	"context"
	"encoding/json"
	"fmt"
	"slices"
	"sort"
	"strings"
	"sync"

	"github.com/open-policy-agent/opa/v1/ast"
	"github.com/open-policy-agent/opa/v1/rego"
	"github.com/open-policy-agent/opa/v1/topdown"
	"github.com/shopspring/decimal"

	"github.com/budgetcheck/budgetcheck/evaluator/result"
	"github.com/budgetcheck/budgetcheck/evaluator/submission"
)

// Explanation shows how one indicator or finding came about for one
// submission: the rules that compute it, the facts they read, and the values
// their variables took.
type Explanation struct {
	Code  string
	Kind  string // "indicator" or "finding"
	Title string
	// Rules are where the rules that compute it are (file:line).
	Rules []string
	// Reads are the facts and helpers the rules refer to, e.g.
	// input.contracts[_].fiscal_year.due_fen or lib.unpayable_cycles.
	Reads []string
	// Solutions holds, for each time a rule produced a value, its
	// variables' values (name = value), in the order they were bound.
	Solutions [][]Binding
	// Indicator is the graded indicator, when Code names one.
	Indicator *result.Indicator
	// Measure is the indicator's measure; Grades how it was graded.
	Measure any
	Grades  []string
	// Findings are the findings of that code in the result.
	Findings []result.Finding
}

// Binding is one variable's value.
type Binding struct {
	Name  string
	Value string
}

// Explain evaluates the submission once more with a trace and explains the
// indicator or finding called code. It uses the engine's prepared query.
func (e *Engine) Explain(ctx context.Context, sub *submission.Submission, code string) (*Explanation, error) {
	x := &Explanation{Code: code}
	rules := e.rulesFor(code, x)
	if len(rules) == 0 {
		return nil, fmt.Errorf("--explain %s: no indicator or finding has that code (see budgetcheck policy docs)", code)
	}
	reads := map[string]bool{}
	for _, r := range rules {
		x.Rules = append(x.Rules, fmt.Sprintf("%s:%d", r.Location.File, r.Location.Row))
		for _, ref := range ruleReads(r, e.packageRules(r.Module.Package.Path)) {
			reads[ref] = true
		}
	}
	for ref := range reads {
		x.Reads = append(x.Reads, ref)
	}
	sort.Strings(x.Reads)

	doc, err := e.Evaluate(ctx, sub)
	if err != nil {
		return nil, err
	}
	input, err := e.Input(sub)
	if err != nil {
		return nil, err
	}
	tracer := &exitTracer{rules: rules}
	ctx, cancel := context.WithTimeout(ctx, e.opts.Timeout)
	defer cancel()
	rs, err := e.query.Eval(ctx, rego.EvalParsedInput(input), rego.EvalQueryTracer(tracer))
	if err != nil {
		return nil, &PolicyError{File: sub.File, Err: err}
	}
	x.Solutions = tracer.solutions

	if x.Kind == "indicator" {
		for i := range doc.Indicators {
			if doc.Indicators[i].Code == code {
				x.Indicator = &doc.Indicators[i]
			}
		}
		x.Measure = measureOf(rs, code)
		def, _ := e.rs.Catalog.Indicator(code)
		for _, g := range def.Grades {
			line := fmt.Sprintf("%s (%s): %s points", g.Label(e.opts.Lang), bounds(g.Min, g.Max), g.Points)
			if x.Indicator != nil && x.Indicator.Applicable && g.Label(e.opts.Lang) == x.Indicator.Grade {
				line += "  ←"
			}
			x.Grades = append(x.Grades, line)
		}
	}
	for _, f := range doc.Findings {
		if f.Code == code {
			x.Findings = append(x.Findings, f)
		}
	}
	return x, nil
}

// rulesFor finds the rules that compute code: an indicator's measures rule,
// or the finding rules whose # METADATA declares it.
func (e *Engine) rulesFor(code string, x *Explanation) []*ast.Rule {
	var rules []*ast.Rule
	if def, ok := e.rs.Catalog.Indicator(code); ok {
		x.Kind, x.Title = "indicator", def.Title.In(e.opts.Lang)
		for _, name := range e.rs.ModuleNames() {
			for _, r := range e.rs.Modules[name].Rules {
				ref := r.Head.Ref()
				if len(ref) == 2 && ref[0].Equal(ast.VarTerm("measures")) && ref[1].Equal(ast.StringTerm(code)) {
					rules = append(rules, r)
				}
			}
		}
		return rules
	}
	if def, ok := e.rs.Catalog.Findings[code]; ok {
		x.Kind, x.Title = "finding", def.Title.In(e.opts.Lang)
		for _, name := range e.rs.ModuleNames() {
			for _, r := range e.rs.Modules[name].Rules {
				for _, a := range r.Annotations {
					if c, _ := a.Custom["code"].(string); c == code && a.Scope == "rule" {
						rules = append(rules, r)
					}
				}
			}
		}
	}
	return rules
}

// ruleReads lists the references a rule makes to the input, to data and to
// imported helpers, with local variables replaced by where they come from
// (some c in input.contracts makes c.id read input.contracts[_].id).
func ruleReads(r *ast.Rule, helpers map[ast.Var]bool) []string {
	origin := map[ast.Var]string{}
	ast.WalkExprs(r.Body, func(expr *ast.Expr) bool {
		switch t := expr.Terms.(type) {
		case *ast.SomeDecl:
			for _, s := range t.Symbols {
				call, ok := s.Value.(ast.Call)
				if !ok || len(call) < 3 {
					continue
				}
				coll := call[len(call)-1]
				if v, ok := call[len(call)-2].Value.(ast.Var); ok {
					origin[v] = render(coll, origin) + "[_]"
				}
			}
		case []*ast.Term:
			if expr.IsAssignment() || expr.IsEquality() {
				if v, ok := t[1].Value.(ast.Var); ok {
					if _, isRef := t[2].Value.(ast.Ref); isRef {
						origin[v] = render(t[2], origin)
					}
				}
			}
		}
		return false
	})
	seen := map[string]bool{}
	var out []string
	visit := func(ref ast.Ref) bool {
		head, ok := ref[0].Value.(ast.Var)
		if !ok || strings.HasPrefix(string(head), "__") {
			return false
		}
		if _, local := origin[head]; !local && head != "input" && head != "data" && !isImport(head) && !helpers[head] {
			return false
		}
		s := render(ast.NewTerm(ref), origin)
		if !seen[s] {
			seen[s] = true
			out = append(out, s)
		}
		return false
	}
	ast.WalkRefs(r.Body, visit)
	ast.WalkRefs(r.Head, visit)
	return out
}

// packageRules names the rules and functions of the package at path: the
// helpers a rule calls without a prefix.
func (e *Engine) packageRules(path ast.Ref) map[ast.Var]bool {
	names := map[ast.Var]bool{}
	for _, m := range e.rs.Modules {
		if !m.Package.Path.Equal(path) {
			continue
		}
		for _, r := range m.Rules {
			if v, ok := r.Head.Ref()[0].Value.(ast.Var); ok {
				names[v] = true
			}
		}
	}
	return names
}

// isImport reports whether v names an imported package (lib, findings …):
// the rules' helpers.
func isImport(v ast.Var) bool { return v == "lib" || v == "findings" || v == "indicators" }

// render writes a term with the local variables at its head replaced by
// their origin and other variables as [_].
func render(t *ast.Term, origin map[ast.Var]string) string {
	ref, ok := t.Value.(ast.Ref)
	if !ok {
		return t.String()
	}
	var b strings.Builder
	head := ref[0].String()
	if v, ok := ref[0].Value.(ast.Var); ok {
		if o, ok := origin[v]; ok {
			head = o
		}
	}
	b.WriteString(head)
	for _, p := range ref[1:] {
		switch v := p.Value.(type) {
		case ast.String:
			b.WriteString("." + string(v))
		case ast.Var:
			b.WriteString("[_]")
		default:
			b.WriteString("[" + p.String() + "]")
		}
	}
	return b.String()
}

// exitTracer keeps the variables' values each time one of the rules exits
// with a value.
type exitTracer struct {
	rules     []*ast.Rule
	mu        sync.Mutex
	solutions [][]Binding
}

func (*exitTracer) Enabled() bool { return true }

func (*exitTracer) Config() topdown.TraceConfig { return topdown.TraceConfig{PlugLocalVars: true} }

func (t *exitTracer) TraceEvent(evt topdown.Event) {
	if evt.Op != topdown.ExitOp || evt.Locals == nil {
		return
	}
	r, ok := evt.Node.(*ast.Rule)
	if !ok || !slices.ContainsFunc(t.rules, func(x *ast.Rule) bool { return sameLocation(x.Location, r.Location) }) {
		return
	}
	var bindings []Binding
	evt.Locals.Iter(func(k, v ast.Value) bool {
		name := string(k.(ast.Var))
		if meta, ok := evt.LocalMetadata[k.(ast.Var)]; ok {
			name = string(meta.Name)
		}
		if !strings.HasPrefix(name, "__") && !strings.HasPrefix(name, "$") && name != "_" {
			bindings = append(bindings, Binding{Name: name, Value: abbreviate(v.String())})
		}
		return false
	})
	sort.SliceStable(bindings, func(i, j int) bool { return bindings[i].Name < bindings[j].Name })
	t.mu.Lock()
	defer t.mu.Unlock()
	t.solutions = append(t.solutions, bindings)
}

func sameLocation(a, b *ast.Location) bool {
	return a != nil && b != nil && a.File == b.File && a.Row == b.Row
}

// abbreviate keeps long values (a whole contract) readable.
func abbreviate(s string) string {
	const limit = 160
	if r := []rune(s); len(r) > limit {
		return string(r[:limit]) + " …"
	}
	return s
}

// measureOf digs the indicator's measure out of the query's result.
func measureOf(rs rego.ResultSet, code string) any {
	if len(rs) == 0 || len(rs[0].Expressions) == 0 {
		return nil
	}
	res, _ := rs[0].Expressions[0].Value.(map[string]any)
	inds, _ := res["indicators"].([]any)
	for _, i := range inds {
		m, _ := i.(map[string]any)
		if m["code"] != code {
			continue
		}
		// A ratio such as 1/3 reads better rounded.
		if n, ok := m["measure"].(json.Number); ok {
			if d, err := decimal.NewFromString(n.String()); err == nil {
				return d.Round(4).String()
			}
		}
		return m["measure"]
	}
	return nil
}

func bounds(lo, hi *json.Number) string {
	switch {
	case lo != nil && hi != nil:
		return fmt.Sprintf("%s ≤ m ≤ %s", lo, hi)
	case lo != nil:
		return fmt.Sprintf("m ≥ %s", lo)
	case hi != nil:
		return fmt.Sprintf("m ≤ %s", hi)
	}
	return "otherwise"
}
