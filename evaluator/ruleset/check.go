package ruleset

import (
	"errors"
	"fmt"
	"slices"
	"strings"

	"github.com/open-policy-agent/opa/v1/ast"
)

// Conclusion codes a band may give (the result document's conclusion.code).
var ConclusionCodes = []string{"support", "support_after_adjustment", "reject"}

// Packages and rules the contract checks look at.
var (
	findingsRule = ast.Ref{ast.VarTerm("findings")}
	basicPath    = ast.MustParseRef("data.budgetcheck.basic")
	satisfied    = ast.Ref{ast.VarTerm("satisfied")}
)

// checkContract checks what a ruleset promises beyond the catalogue's
// declarations: the manifest, every finding rule's code against its
// # METADATA, the indicators' grading tables, the basic items and the
// conclusion bands. It returns every problem found, each with where it is.
func checkContract(rs *Ruleset, cat *Catalog) []string {
	var problems []string
	add := func(format string, args ...any) { problems = append(problems, fmt.Sprintf(format, args...)) }

	m := rs.Manifest
	for _, f := range []struct{ name, value string }{{"name", m.Name}, {"version", m.Version}, {"region", m.Region}} {
		if strings.TrimSpace(f.value) == "" {
			add("%s: manifest.yaml: ruleset.%s is missing", rs.Source, f.name)
		}
	}
	if m.FiscalYears.From <= 0 || m.FiscalYears.To < m.FiscalYears.From {
		add("%s: manifest.yaml: ruleset.fiscal_years must give from and to (from ≤ to), got %d–%d", rs.Source, m.FiscalYears.From, m.FiscalYears.To)
	}
	if len(m.Documents) == 0 {
		add("%s: manifest.yaml: ruleset.documents lists no document the ruleset implements", rs.Source)
	}
	switch m.Procedure {
	case "", PreEvaluation:
	case TargetReview:
		problems = append(problems, checkFindingRules(rs, cat)...)
		problems = append(problems, checkMessages(rs, cat)...)
		return append(problems, checkReview(rs, cat)...)
	default:
		add("%s: manifest.yaml: ruleset.procedure %q; use %s or %s", rs.Source, m.Procedure, PreEvaluation, TargetReview)
	}

	problems = append(problems, checkFindingRules(rs, cat)...)
	problems = append(problems, checkIndicators(rs, cat)...)
	problems = append(problems, checkMessages(rs, cat)...)

	basicRules := map[string]bool{}
	for _, mod := range sortedModules(rs.Modules) {
		if !mod.Package.Path.Equal(basicPath) {
			continue
		}
		for _, r := range mod.Rules {
			ref := r.Head.Ref()
			if len(ref) == 2 && ref[:1].Equal(satisfied) {
				if s, ok := ref[1].Value.(ast.String); ok {
					basicRules[string(s)] = true
				}
			}
		}
	}
	for i, item := range cat.Basic {
		if item.Code == "" || item.Title.Zh == "" {
			add("%s: params.basic.items[%d]: an item needs a code and a title", rs.Source, i)
		} else if !basicRules[item.Code] {
			add("%s: params.basic.items[%d]: no rule satisfied.%s in package budgetcheck.basic", rs.Source, i, item.Code)
		}
	}

	bands := cat.Conclusion.Bands
	if len(bands) == 0 {
		add("%s: params.conclusion.bands is empty", rs.Source)
	} else if last := bands[len(bands)-1]; last.BasicFailed != nil || last.Below != nil || last.Adjusted != nil || last.NoTargets != nil {
		add("%s: params.conclusion.bands[%d]: the last band must have no condition, so that every result gets a conclusion", rs.Source, len(bands)-1)
	}
	for i, b := range bands {
		if !slices.Contains(ConclusionCodes, b.Code) {
			add("%s: params.conclusion.bands[%d]: code %q; use one of %s", rs.Source, i, b.Code, strings.Join(ConclusionCodes, ", "))
		} else if cat.Conclusion.Texts[b.Code].Zh == "" {
			add("%s: params.conclusion.bands[%d]: no text in params.conclusion.texts.%s", rs.Source, i, b.Code)
		}
	}
	return problems
}

// checkMessages checks that every message is for a finding a rule declares.
func checkMessages(rs *Ruleset, cat *Catalog) []string {
	var problems []string
	for _, code := range sortedKeys(rawMap(rs.Data, "params", "findings")) {
		if _, ok := cat.Findings[code]; !ok {
			problems = append(problems, fmt.Sprintf("%s: params.findings.%s: a message for a finding no rule declares", rs.Source, code))
		}
	}
	return problems
}

// checkReview checks a target review's grading (params.review) and notes
// (params.notes): every finding counts in a known area and has a note, every
// grade is one of ReviewGradeCodes with a name and a consequence, and the
// last grade has no bound.
func checkReview(rs *Ruleset, cat *Catalog) []string {
	var problems []string
	add := func(format string, args ...any) { problems = append(problems, fmt.Sprintf(format, args...)) }
	r := cat.Review
	if r == nil {
		return []string{fmt.Sprintf("%s: a target review needs params.review (areas, weights, grades, texts)", rs.Source)}
	}
	for _, code := range cat.FindingCodes() {
		w, ok := r.Weights[code]
		switch {
		case !ok:
			add("%s: params.review.weights.%s: finding %s counts in no review area", rs.Source, code, code)
		case r.Areas[w.Area].Zh == "":
			add("%s: params.review.weights.%s: area %q is not in params.review.areas", rs.Source, code, w.Area)
		case w.Weight < 0 || w.Cap != nil && *w.Cap < 0:
			add("%s: params.review.weights.%s: weight and cap must not be negative", rs.Source, code)
		}
		if cat.Notes[code].Zh == "" {
			add("%s: params.notes.%s: finding %s has no 审核意见", rs.Source, code, code)
		}
	}
	for _, code := range sortedKeys(r.Weights) {
		if _, ok := cat.Findings[code]; !ok {
			add("%s: params.review.weights.%s: a weight for a finding no rule declares", rs.Source, code)
		}
	}
	for _, code := range r.Forced.Codes {
		if _, ok := cat.Findings[code]; !ok {
			add("%s: params.review.forced.codes names %s, which no rule declares", rs.Source, code)
		}
	}
	if len(r.Forced.Codes) > 0 && !slices.Contains(ReviewGradeCodes, r.Forced.Grade) {
		add("%s: params.review.forced.grade %q; use one of %s", rs.Source, r.Forced.Grade, strings.Join(ReviewGradeCodes, ", "))
	}
	if len(r.Grades) == 0 {
		add("%s: params.review.grades is empty", rs.Source)
	} else if last := r.Grades[len(r.Grades)-1]; last.MaxPoints != nil || last.MaxAreaPoints != nil {
		add("%s: params.review.grades[%d]: the last grade must have no bound, so that every project gets a grade", rs.Source, len(r.Grades)-1)
	}
	for i, g := range r.Grades {
		if !slices.Contains(ReviewGradeCodes, g.Code) {
			add("%s: params.review.grades[%d]: code %q; use one of %s", rs.Source, i, g.Code, strings.Join(ReviewGradeCodes, ", "))
		}
	}
	for _, code := range ReviewGradeCodes {
		if t := r.Texts[code]; t.Grade.Zh == "" || t.Consequence.Zh == "" {
			add("%s: params.review.texts.%s: a grade needs its name and its consequence", rs.Source, code)
		}
	}
	return problems
}

func sortedKeys[V any](m map[string]V) []string {
	keys := make([]string, 0, len(m))
	for k := range m {
		keys = append(keys, k)
	}
	slices.Sort(keys)
	return keys
}

// checkFindingRules checks every `findings contains {...}` rule: it has
// # METADATA, and the code it emits is the one its metadata declares.
func checkFindingRules(rs *Ruleset, cat *Catalog) []string {
	var problems []string
	for _, mod := range sortedModules(rs.Modules) {
		for _, r := range mod.Rules {
			if !r.Head.Ref().Equal(findingsRule) || r.Head.Key == nil {
				continue
			}
			where := r.Location.String()
			declared := ""
			for _, a := range r.Annotations {
				if c, ok := a.Custom["code"].(string); ok && a.Scope == "rule" {
					declared = c
				}
			}
			if declared == "" {
				problems = append(problems, fmt.Sprintf("%s: finding rule has no # METADATA with custom.code, severity, title and basis", where))
			}
			obj, ok := r.Head.Key.Value.(ast.Object)
			if !ok {
				continue
			}
			term := obj.Get(ast.InternedTerm("code"))
			if term == nil {
				problems = append(problems, fmt.Sprintf("%s: finding rule emits a finding without a \"code\"", where))
				continue
			}
			s, ok := term.Value.(ast.String)
			if !ok {
				continue // a computed code is checked when a result is collected
			}
			code := string(s)
			switch {
			case cat.Findings[code].Code == "":
				problems = append(problems, fmt.Sprintf("%s: finding rule emits code %s, which no rule's # METADATA declares", where, code))
			case declared != "" && declared != code:
				problems = append(problems, fmt.Sprintf("%s: finding rule emits code %s but its # METADATA declares %s", where, code, declared))
			}
		}
	}
	return problems
}

// checkIndicators checks the grading tables of params.indicators.
func checkIndicators(rs *Ruleset, cat *Catalog) []string {
	var problems []string
	add := func(format string, args ...any) { problems = append(problems, fmt.Sprintf(format, args...)) }
	raw, _ := rawPath(rs.Data, "params", "indicators").([]any)
	seen := map[string]bool{}
	for i, d := range cat.Indicators {
		at := fmt.Sprintf("%s: params.indicators[%d] (%s)", rs.Source, i, d.Code)
		if d.Code == "" {
			add("%s: params.indicators[%d]: no code", rs.Source, i)
		}
		if seen[d.Code] {
			add("%s: code %s is declared again", at, d.Code)
		}
		seen[d.Code] = true
		if d.Title.Zh == "" || d.Group.Zh == "" {
			add("%s: needs a title and a group", at)
		}
		if !d.Max.IsPositive() {
			add("%s: max must be positive, got %s", at, d.Max)
		}
		grades := map[string]bool{}
		for j, g := range d.Grades {
			if g.Grade == "" || grades[g.Grade] {
				add("%s: grades[%d]: each grade needs a name of its own", at, j)
			}
			grades[g.Grade] = true
			if !hasPoints(raw, i, j) {
				add("%s: grades[%d] (%s) has no points", at, j, g.Grade)
			} else if g.Points.IsNegative() || g.Points.GreaterThan(d.Max) {
				add("%s: grades[%d] (%s): points %s outside 0–%s", at, j, g.Grade, g.Points, d.Max)
			}
		}
		measured := slices.DeleteFunc(slices.Clone(d.Grades), func(g Grade) bool { return g.When != "" })
		if n := len(measured); n > 0 && (measured[n-1].Min != nil || measured[n-1].Max != nil) {
			add("%s: the last grade (%s) must have no min or max, so that every measure gets a grade", at, measured[n-1].Grade)
		}
		for _, code := range d.FindingCodes {
			if _, ok := cat.Findings[code]; !ok {
				add("%s: finding_codes names %s, which no rule declares", at, code)
			}
		}
	}
	return problems
}

// hasPoints reports whether grade j of indicator i writes its points (a
// missing number would otherwise decode as 0).
func hasPoints(raw []any, i, j int) bool {
	indicator, _ := rawIndex(raw, i).(map[string]any)
	grades, _ := indicator["grades"].([]any)
	g, _ := rawIndex(grades, j).(map[string]any)
	_, ok := g["points"]
	return ok
}

func rawIndex(xs []any, i int) any {
	if i < len(xs) {
		return xs[i]
	}
	return nil
}

// rawPath walks nested mappings.
func rawPath(v any, keys ...string) any {
	for _, k := range keys {
		m, ok := v.(map[string]any)
		if !ok {
			return nil
		}
		v = m[k]
	}
	return v
}

// rawMap returns the mapping at keys below v.
func rawMap(v any, keys ...string) map[string]any {
	m, _ := rawPath(v, keys...).(map[string]any)
	return m
}

// FormatErrors writes OPA parse and compile errors one a line as
// file:line:col: code: message; other errors as they are.
func FormatErrors(err error) string {
	var errs ast.Errors
	if !errors.As(err, &errs) {
		var one *ast.Error
		if !errors.As(err, &one) {
			return err.Error()
		}
		errs = ast.Errors{one}
	}
	lines := make([]string, 0, len(errs))
	for _, e := range errs {
		if e.Location != nil {
			lines = append(lines, fmt.Sprintf("%s:%d:%d: %s: %s", e.Location.File, e.Location.Row, e.Location.Col, e.Code, e.Message))
		} else {
			lines = append(lines, fmt.Sprintf("%s: %s", e.Code, e.Message))
		}
	}
	return strings.Join(lines, "\n")
}
