package submission

import (
	"fmt"
	"maps"
	"slices"
	"strings"

	"github.com/shopspring/decimal"
)

// Calendar bounds for years and dates in a submission.
const (
	minYear = 1990
	maxYear = 2100
)

// maxSuggestions bounds the unknown references that get a "did you mean".
const maxSuggestions = 100

// validCyclesPerYear are the cycle counts that divide a year into whole months.
var validCyclesPerYear = map[int]bool{1: true, 2: true, 3: true, 4: true, 6: true, 12: true}

// validate checks what the types alone cannot: units and precision, ids and
// references, payment terms that add up.
func validate(s *Submission, c *collector) {
	suggests := maxSuggestions
	v := validator{s: s, c: c, suggests: &suggests}
	if s.Schema != "" && s.Schema != SchemaV1 {
		v.add(CodeSchema, "schema", "schema %q is not supported; write %q", "不支持格式版本“%s”；请写“%s”", s.Schema, SchemaV1)
	}
	fy := s.Project.FiscalYear
	if v.present("project.fiscal_year") && !c.flaggedAny("project.fiscal_year") && (fy < minYear || fy > maxYear) {
		v.add(CodeInvalidValue, "project.fiscal_year", "fiscal year %d is out of range %d–%d", "预算年度 %d 超出 %d–%d 的范围", fy, minYear, maxYear)
	}
	v.dates()

	subprojects := v.ids("subprojects", len(s.Subprojects), func(i int) string { return s.Subprojects[i].ID })
	contracts := v.ids("contracts", len(s.Contracts), func(i int) string { return s.Contracts[i].ID })
	v.ids("budget_lines", len(s.BudgetLines), func(i int) string { return s.BudgetLines[i].ID })
	v.ids("targets", len(s.Targets), func(i int) string { return s.Targets[i].ID })

	for i, t := range s.Targets {
		path := fmt.Sprintf("targets[%d]", i)
		sp, found := v.ref(path+".subproject", t.Subproject, subprojects, text{"sub-project", "子项目"})
		if t.DerivedFrom == "" || !found {
			continue
		}
		if t.Subproject == "" {
			v.add(CodeInconsistent, path+".derived_from", "derived_from needs the target's subproject", "derived_from 需要指标所属的子项目（subproject）")
		} else if scope := s.Subprojects[sp].Scope; scope == nil || !hasKey(scope.Quantities, t.DerivedFrom) {
			v.add(CodeUnknownReference, path+".derived_from", "sub-project %s has no scope quantity %q", "子项目 %s 没有名为“%s”的建设内容数量（scope.quantities）", t.Subproject, t.DerivedFrom)
		}
	}
	for i, l := range s.BudgetLines {
		path := fmt.Sprintf("budget_lines[%d]", i)
		v.ref(path+".subproject", l.Subproject, subprojects, text{"sub-project", "子项目"})
		v.ref(path+".contract", l.Contract, contracts, text{"contract", "合同"})
	}
	for i, ct := range s.Contracts {
		v.contract(fmt.Sprintf("contracts[%d]", i), ct, subprojects)
	}
}

type validator struct {
	s        *Submission
	c        *collector
	suggests *int // "did you mean" searches left: a hostile file cannot make them quadratic
}

func (v validator) add(code, path, en, zh string, args ...any) {
	v.c.add(code, path, v.s.Pos(path), en, zh, args...)
}

// present reports whether the file gives a value at path (a zero is a value)
// that loaded without a problem.
func (v validator) present(path string) bool {
	_, ok := v.s.Positions[path]
	return ok && !v.c.flaggedAny(path)
}

// loaded reports whether none of paths has a problem already.
func (v validator) loaded(paths ...string) bool { return !v.c.flaggedAny(paths...) }

// ids checks that the non-empty ids of a section are unique and returns their indexes.
func (v validator) ids(section string, n int, id func(int) string) map[string]int {
	index := map[string]int{}
	for i := range n {
		key := id(i)
		if key == "" {
			continue
		}
		if first, dup := index[key]; dup {
			v.add(CodeDuplicateID, fmt.Sprintf("%s[%d].id", section, i), "id %q is already used by %s[%d]", "编号“%s”已被 %s[%d] 使用", key, section, first)
			continue
		}
		index[key] = i
	}
	return index
}

// ref checks a reference to an id; an empty reference is allowed.
func (v validator) ref(path, id string, index map[string]int, what text) (int, bool) {
	if id == "" {
		return 0, false
	}
	i, ok := index[id]
	if !ok {
		near := ""
		if *v.suggests > 0 {
			*v.suggests--
			near = nearest(id, keys(index))
		}
		if near != "" {
			v.add(CodeUnknownReference, path, "there is no %s %q (did you mean %q?)", "没有%s“%s”（是否应为“%s”？）", what, id, near)
		} else {
			v.add(CodeUnknownReference, path, "there is no %s %q", "没有%s“%s”", what, id)
		}
	}
	return i, ok
}

func (v validator) contract(path string, ct Contract, subprojects map[string]int) {
	v.ref(path+".subproject", ct.Subproject, subprojects, text{"sub-project", "子项目"})
	fy := v.s.Project.FiscalYear
	if ct.Signed != nil && fy != 0 && v.loaded("project.fiscal_year", path+".signed") && ct.Signed.Year() > fy {
		v.add(CodeInconsistent, path+".signed", "signed in %d, after fiscal year %d", "签订于 %d 年，晚于预算年度 %d", ct.Signed.Year(), fy)
	}
	if len(ct.Instalments) > 0 && ct.Cycle != nil {
		v.add(CodeInconsistent, path+".cycle_payment", "a contract is paid either by instalments or by cycle_payment, not both", "合同只能按分期（instalments）或按周期（cycle_payment）付款，不能两者并用")
	}
	if ct.Total != nil {
		var bundled decimal.Decimal
		complete := true
		for j, comp := range ct.Components {
			bundled = bundled.Add(comp.Amount)
			complete = complete && v.loaded(fmt.Sprintf("%s.components[%d].amount", path, j))
		}
		if complete && bundled.GreaterThan(*ct.Total) {
			v.add(CodeInconsistent, path+".components", "the components add up to %s, more than the total %s", "各组成部分合计 %s，超过合同总额 %s", bundled, ct.Total)
		}
	}
	var ratios decimal.Decimal
	for j, inst := range ct.Instalments {
		ip := fmt.Sprintf("%s.instalments[%d]", path, j)
		if !v.loaded(ip) {
			continue // not a mapping: reported as such
		}
		switch {
		case !v.loaded(ip+".ratio", ip+".amount", path+".total"):
		case inst.Ratio == nil && inst.Amount == nil:
			v.add(CodeMissing, ip, "an instalment needs a ratio or an amount", "分期付款需要比例（ratio）或金额（amount）")
		case inst.Ratio != nil && ct.Total == nil:
			v.add(CodeMissing, path+".total", "instalments by ratio need the contract total", "按比例分期付款需要合同总额（total）")
		case inst.Ratio != nil && inst.Amount != nil && !ct.Total.Mul(inst.Ratio.Decimal).Equal(*inst.Amount):
			v.add(CodeInconsistent, ip+".amount", "%s is not %s of the total %s (that is %s)", "%s 不是总额 %[3]s 的 %[2]s（应为 %[4]s）", inst.Amount, percent(inst.Ratio.Decimal), ct.Total, ct.Total.Mul(inst.Ratio.Decimal))
		}
		if inst.Ratio != nil {
			ratios = ratios.Add(inst.Ratio.Decimal)
		}
		if v.present(ip+".due_year") && (inst.DueYear < minYear || inst.DueYear > maxYear) {
			v.add(CodeInvalidValue, ip+".due_year", "due year %d is out of range %d–%d", "付款年度 %d 超出 %d–%d 的范围", inst.DueYear, minYear, maxYear)
		}
		if inst.DueYear == 0 && inst.Trigger == "" && v.loaded(ip+".due_year", ip+".trigger") {
			v.add(CodeMissing, ip, "an instalment needs a due_year or a trigger", "分期付款需要付款年度（due_year）或付款条件（trigger）")
		}
	}
	if ratios.GreaterThan(decimal.NewFromInt(1)) {
		v.add(CodeInconsistent, path+".instalments", "the instalment ratios add up to %s, more than 100%%", "各期付款比例合计 %s，超过 100%%", percent(ratios))
	}
	if cy := ct.Cycle; cy != nil {
		cp := path + ".cycle_payment"
		if v.present(cp+".cycles_per_year") && !validCyclesPerYear[cy.CyclesPerYear] {
			v.add(CodeInvalidValue, cp+".cycles_per_year", "%d cycles a year do not divide the year into whole months (use 1, 2, 3, 4, 6 or 12)", "每年 %d 个周期不能把一年分成整月（请用 1、2、3、4、6 或 12）", cy.CyclesPerYear)
		}
		if v.present(cp+".term_years") && (cy.TermYears < 1 || cy.TermYears > 30) {
			v.add(CodeInvalidValue, cp+".term_years", "a term of %d years is out of range 1–30", "%d 年的期限超出 1–30 年的范围", cy.TermYears)
		}
	}
	if p := ct.Predecessor; p != nil {
		if p.ID != "" && p.ID == ct.ID {
			v.add(CodeInconsistent, path+".predecessor.id", "contract %s names itself as its predecessor", "合同 %s 把自己列为前序合同", ct.ID)
		}
		for j, a := range p.Unpaid {
			dp := fmt.Sprintf("%s.predecessor.unpaid[%d].due_year", path, j)
			if v.present(dp) && (a.DueYear < minYear || a.DueYear > maxYear) {
				v.add(CodeInvalidValue, dp, "due year %d is out of range %d–%d", "付款年度 %d 超出 %d–%d 的范围", a.DueYear, minYear, maxYear)
			}
		}
	}
}

// dates checks that every date falls in the calendar range.
func (v validator) dates() {
	check := func(path string, d *Date) {
		if d != nil && (d.Year() < minYear || d.Year() > maxYear) {
			v.add(CodeInvalidDate, path, "%s is out of range %d–%d", "%s 超出 %d–%d 的范围", d, minYear, maxYear)
		}
	}
	for i, d := range v.s.Project.Decisions {
		check(fmt.Sprintf("project.decisions[%d].date", i), d.Date)
	}
	for i, sp := range v.s.Subprojects {
		for j, d := range sp.Decisions {
			check(fmt.Sprintf("subprojects[%d].decisions[%d].date", i, j), d.Date)
		}
	}
	for i, ct := range v.s.Contracts {
		path := fmt.Sprintf("contracts[%d]", i)
		check(path+".signed", ct.Signed)
		for j, comp := range ct.Components {
			check(fmt.Sprintf("%s.components[%d].service_start", path, j), comp.ServiceStart)
		}
		if ct.Cycle != nil {
			check(path+".cycle_payment.service_start", ct.Cycle.ServiceStart)
		}
	}
	for i, w := range v.s.Waivers {
		check(fmt.Sprintf("waivers[%d].expires", i), w.Expires)
	}
}

func percent(d decimal.Decimal) string {
	return strings.TrimSuffix(d.Shift(2).String(), ".0") + "%"
}

func hasKey[V any](m map[string]V, k string) bool {
	_, ok := m[k]
	return ok
}

func keys[V any](m map[string]V) []string {
	return slices.Sorted(maps.Keys(m))
}
