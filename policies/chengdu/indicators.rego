# METADATA
# title: 实质性评估指标
# description: >-
#   The scored indicators. Each measures rule computes one indicator's measure
#   from the facts; the grade and points come from params.indicators. An
#   indicator with no measure (its facts are absent) is not applicable and
#   leaves the normalisation, except that a project with no performance
#   targets at all (lib.no_targets) gets the grade an indicator gives
#   `when: no_targets` (0 points in data.yaml): such a project is not supported.
package budgetcheck.indicators

import data.budgetcheck.findings
import data.budgetcheck.lib
import data.budgetcheck.targets

# indicators is every indicator of params.indicators, in their order, graded.
indicators := graded(measures)

# graded(ms) grades each indicator's measure in ms. The measures come in as
# one value: a reference to the partial rule measures inside the loop cost
# OPA a sixth of a pre-evaluation's allocations (3,000 of the seed's 18,000).
graded(ms) := [indicator(def, object.get(ms, def.code, null)) | some def in data.params.indicators]

# indicator(def, m) grades the measure m (null when there is none).
indicator(def, m) := {
	"code": def.code,
	"applicable": true,
	"measure": 0,
	"grade": g.grade,
	"points": g.points,
	"max": def.max,
	"params": measure_params(m),
} if {
	lib.no_targets
	some g in def.grades
	g.when == "no_targets"
} else := {
	"code": def.code,
	"applicable": true,
	"measure": m.value,
	"grade": g.grade,
	"points": g.points,
	"max": def.max,
	"params": m.params,
} if {
	m != null
	g := lib.grade(def.grades, m.value)
} else := {"code": def.code, "applicable": false, "max": def.max}

measure_params(m) := m.params if m != null

else := {}

# METADATA
# title: 绩效目标完整性
# description: >-
#   Every sub-project has indicators and every mandatory level-2 indicator is
#   present; the measure is the smaller of the two coverages.
# custom:
#   code: target.completeness
measures["target.completeness"] := {"value": min([by_subproject, by_level2]), "params": {
	"covered": covered,
	"subprojects": count(input.subprojects),
	"mandatory_present": mandatory_present,
	"mandatory": count(targets.mandatory_level2),
}} if {
	count(input.targets) + count(input.subprojects) > 0
	covered := count({sp.id | some sp in input.subprojects; sp.id in targets.targeted_subprojects})
	by_subproject := lib.ratio(covered, count(input.subprojects))
	mandatory_present := count({l | some l in targets.mandatory_level2; l in targets.present_level2})
	by_level2 := lib.ratio(mandatory_present, count(targets.mandatory_level2))
}

# METADATA
# title: 绩效目标准确性
# description: Indicator names fit their level-2 indicator (quality rows are rates, not benefit statements).
# custom:
#   code: target.accuracy
measures["target.accuracy"] := {
	"value": 1 - lib.ratio(misnamed, rows),
	"params": {"misnamed": misnamed, "rows": rows},
} if {
	rows := count(targets.valued_targets)
	rows > 0
	misnamed := count([t | some t in targets.valued_targets; targets.misnamed(t)])
}

# METADATA
# title: 绩效目标量化
# description: At least one benefit (效益) indicator has a measurable value.
# custom:
#   code: target.quantified
measures["target.quantified"] := {
	"value": to_number(quantified > 0),
	"params": {"quantified": quantified, "benefit_rows": count(benefit)},
} if {
	count(input.targets) > 0
	benefit := [i | some i in targets.valued_rows; input.targets[i].level1 == data.params.targets.level1_benefit]
	quantified := count([i | some i in benefit; i in targets.measurable_rows])
}

# METADATA
# title: 指标值测算
# description: Values derived from the plan (derived_from) equal the plan's quantities.
# custom:
#   code: target.values
measures["target.values"] := {
	"value": matched / count(derived),
	"params": {"matched": matched, "derived": count(derived)},
} if {
	derived := [t | some t in input.targets; t.plan_value != null]
	count(derived) > 0
	matched := count([t | some t in derived; t.value.number == t.plan_value])
}

# METADATA
# title: 项目论证
# description: Every sub-project has argumentation (expert review, legal review, minutes …).
# custom:
#   code: feasibility.argumentation
measures["feasibility.argumentation"] := share_of_subprojects("argued", argued)

argued contains sp.id if {
	some sp in input.subprojects
	count(sp.argumentation) > 0
}

# METADATA
# title: 项目计划
# description: Every sub-project has an implementation plan.
# custom:
#   code: feasibility.plan
measures["feasibility.plan"] := share_of_subprojects("planned", planned)

planned contains sp.id if {
	some sp in input.subprojects
	sp.plan != null
}

# METADATA
# title: 制度评估（质量控制）
# description: Every sub-project has quality-control measures (testing, supervision, assessment clauses).
# custom:
#   code: feasibility.quality_control
measures["feasibility.quality_control"] := share_of_subprojects("controlled", controlled)

controlled contains sp.id if {
	some sp in input.subprojects
	count(sp.quality_control) > 0
}

share_of_subprojects(name, ids) := {
	"value": count(ids) / total,
	"params": {name: count(ids), "subprojects": total},
} if {
	total := count(input.subprojects)
	total > 0
}

# METADATA
# title: 重复投入
# description: New items do not repeat what earlier investment already delivered.
# custom:
#   code: economy.duplication
measures["economy.duplication"] := {
	"value": count(duplicates),
	"params": {"duplicates": count(duplicates), "new_items": count(new_items)},
} if {
	scoped := [s | some s in input.subprojects; s.scope != null]
	count(scoped) > 0
	new_items := {item | some s in scoped; some item in s.scope.new_items}
	prior_items := {item | some s in input.subprojects; some p in s.prior_period; some item in p.items}
	duplicates := new_items & prior_items
}

# METADATA
# title: 成本测算
# description: >-
#   The share of the request without cost support: lines with no basis, and
#   increases over last year without a breakdown.
# custom:
#   code: economy.costing
measures["economy.costing"] := {"value": percent, "params": {
	"unsupported": {"fen": unsupported},
	"requested": {"fen": requested},
	"percent": round(percent * 100) / 100,
}} if {
	count(input.budget_lines) > 0
	requested := max([input.project.requested_fen, lib.lines_total_fen])
	unsupported := sum([unsupported_fen(l) | some l in input.budget_lines])
	percent := (100 * unsupported) / max([requested, 1])
}

unsupported_fen(l) := l.amount_fen if l.cost_basis in data.params.costing.unsupported_bases

else := l.amount_fen - l.prior_year_fen if {
	l.prior_year_fen != null
	l.amount_fen > l.prior_year_fen
	not l.breakdown
} else := 0

# METADATA
# title: 预算匹配
# description: Every sub-project that has budget lines has performance targets.
# custom:
#   code: budget.matching
measures["budget.matching"] := {
	"value": count(matched) / count(budgeted),
	"params": {"matched": count(matched), "budgeted": count(budgeted)},
} if {
	budgeted := {l.subproject | some l in input.budget_lines; l.subproject != ""}
	count(budgeted) > 0
	matched := budgeted & targets.targeted_subprojects
}

# METADATA
# title: 编制准确
# description: No budget line differs from the contracts or the declared total (see finding_codes).
# custom:
#   code: budget.accuracy
measures["budget.accuracy"] := {"value": n, "params": {"count": n}} if {
	count(input.budget_lines) > 0
	codes := {def.finding_codes | some def in data.params.indicators; def.code == "budget.accuracy"}
	n := count([f | some f in findings.findings; some cs in codes; f.code in cs])
}
