package budgetcheck.indicators_test

import data.budgetcheck.build_test as build
import data.budgetcheck.indicators

indicator(code) := i if {
	some i in indicators.indicators
	i.code == code
}

graded(code, grade, points) if {
	i := indicator(code)
	i.applicable
	i.grade == grade
	i.points == points
}

not_applicable(code) if indicator(code).applicable == false

# three sub-projects, only the first with targets (the seed's case)
s1_of_three := build.input_doc({
	"subprojects": [build.subproject("S1", {}), build.subproject("S2", {}), build.subproject("S3", {})],
	"targets": build.complete_targets("S1"),
})

# --- target.completeness

test_target_completeness_high if {
	graded("target.completeness", "高", 10) with input as build.input_doc({
		"subprojects": [build.subproject("S1", {})],
		"targets": build.complete_targets("S1"),
	})
}

test_target_completeness_medium_one_of_three if {
	graded("target.completeness", "中", 6) with input as s1_of_three
	p := indicator("target.completeness").params with input as s1_of_three
	p == {"covered": 1, "subprojects": 3, "mandatory_present": 5, "mandatory": 5}
}

test_target_completeness_low_missing_level2 if {
	# every sub-project covered, but only 1 of 5 mandatory level-2 indicators
	inp := build.input_doc({"subprojects": [build.subproject("S1", {})], "targets": [build.target("T1", {})]})
	graded("target.completeness", "低", 2) with input as inp
}

test_target_completeness_public_service if {
	inp := build.input_doc({
		"project": build.project({"public_service": true}),
		"subprojects": [build.subproject("S1", {})],
		"targets": build.complete_targets("S1"),
	})
	p := indicator("target.completeness").params with input as inp
	p.mandatory == 6
	p.mandatory_present == 5
	graded("target.completeness", "中", 6) with input as inp
}

# With no targets at all the target indicators count 0 (their grade
# `when: no_targets`), they do not leave the normalisation.
test_target_completeness_no_targets if {
	graded("target.completeness", "无目标", 0) with input as build.input_doc({})
}

# Which indicators count 0 is data: without a `when: no_targets` grade an
# indicator with no measure is not applicable, as before.
test_no_targets_grade_is_data if {
	defs := [def |
		some d in data.params.indicators
		def := object.union(d, {"grades": [g | some g in d.grades; not g.when]})
	]
	not_applicable("target.accuracy") with input as build.input_doc({}) with data.params.indicators as defs
	not_applicable("target.quantified") with input as build.input_doc({}) with data.params.indicators as defs
}

# --- target.accuracy

test_target_accuracy_high if {
	graded("target.accuracy", "高", 10) with input as s1_of_three
}

test_target_accuracy_medium if {
	# 1 of 5 rows misnamed: 0.8
	rows := array.concat(
		[build.target("Q", {"level2": "质量", "name": "群众满意度提升", "value": build.rate})],
		array.slice(build.complete_targets("S1"), 0, 1),
	)
	inp := build.input_doc({"targets": array.concat(rows, array.slice(build.complete_targets("S1"), 2, 5))})
	graded("target.accuracy", "中", 6) with input as inp
	indicator("target.accuracy").params == {"misnamed": 1, "rows": 5} with input as inp
}

test_target_accuracy_low if {
	inp := build.input_doc({"targets": [
		build.target("Q", {"level2": "质量", "name": "服务水平提升"}),
		build.target("D", {"level2": "时效", "name": "按时完成"}),
	]})
	graded("target.accuracy", "低", 2) with input as inp
}

# A table whose only row says 不适用 states no target: no targets at all.
test_target_accuracy_no_targets if {
	inp := build.input_doc({"targets": [build.target("T1", {"value": build.value("不适用", "", "", "", "")})]})
	graded("target.accuracy", "无目标", 0) with input as inp
}

# --- target.quantified

test_target_quantified_yes if {
	graded("target.quantified", "是", 5) with input as s1_of_three
}

test_target_quantified_no if {
	inp := build.input_doc({"targets": [build.benefit("B", build.vague)]})
	graded("target.quantified", "否", 0) with input as inp
	indicator("target.quantified").params == {"quantified": 0, "benefit_rows": 1} with input as inp
}

test_target_quantified_date_is_measurable if {
	inp := build.input_doc({"targets": [build.benefit("B", build.by_date("2021年12月前", "2021-12"))]})
	graded("target.quantified", "是", 5) with input as inp
}

test_target_quantified_no_targets if {
	graded("target.quantified", "无目标", 0) with input as build.input_doc({})
}

# --- target.values

test_target_values_high if {
	inp := build.input_doc({"targets": [build.target("T1", {"derived_from": "functions", "plan_value": "15"})]})
	graded("target.values", "高", 15) with input as inp
}

test_target_values_medium if {
	inp := build.input_doc({"targets": [
		build.target("T1", {"derived_from": "functions", "plan_value": "15"}),
		build.target("T2", {"derived_from": "upgraded", "plan_value": "29"}),
	]})
	graded("target.values", "中", 9) with input as inp
}

test_target_values_low if {
	inp := build.input_doc({"targets": [build.target("T1", {"derived_from": "functions", "plan_value": "14"})]})
	graded("target.values", "低", 0) with input as inp
}

test_target_values_not_applicable if {
	not_applicable("target.values") with input as s1_of_three
}

# --- feasibility.argumentation, plan, quality_control

argued := build.subproject("A", {
	"argumentation": [{"kind": "expert_review", "title": "专家论证"}],
	"plan": {"title": "实施方案", "number": ""},
	"quality_control": ["第三方测评"],
})

test_feasibility_argumentation_yes if {
	graded("feasibility.argumentation", "是", 3) with input as build.input_doc({"subprojects": [argued]})
}

test_feasibility_argumentation_no if {
	inp := build.input_doc({"subprojects": [argued, build.subproject("B", {})]})
	graded("feasibility.argumentation", "否", 0) with input as inp
	indicator("feasibility.argumentation").params == {"argued": 1, "subprojects": 2} with input as inp
}

test_feasibility_argumentation_not_applicable if {
	not_applicable("feasibility.argumentation") with input as build.input_doc({})
}

test_feasibility_plan_sound if {
	graded("feasibility.plan", "合理", 4) with input as build.input_doc({"subprojects": [argued]})
}

test_feasibility_plan_fair if {
	inp := build.input_doc({"subprojects": [argued, build.subproject("B", {})]})
	graded("feasibility.plan", "较合理", 2) with input as inp
}

test_feasibility_plan_unsound if {
	graded("feasibility.plan", "不合理", 0) with input as build.input_doc({"subprojects": [build.subproject("B", {})]})
}

test_feasibility_quality_control_yes if {
	graded("feasibility.quality_control", "是", 2) with input as build.input_doc({"subprojects": [argued]})
}

test_feasibility_quality_control_no if {
	inp := build.input_doc({"subprojects": [build.subproject("B", {})]})
	graded("feasibility.quality_control", "否", 0) with input as inp
}

# --- economy.duplication

scoped(new_items, prior_items) := build.subproject("S1", {
	"scope": {"quantities": {}, "new_items": new_items},
	"prior_period": [{"name": "一期", "years": "2019", "items": prior_items}],
})

test_economy_duplication_none if {
	inp := build.input_doc({"subprojects": [scoped(["智能审批"], ["网上申报"])]})
	graded("economy.duplication", "无", 3) with input as inp
	indicator("economy.duplication").params == {"duplicates": 0, "new_items": 1} with input as inp
}

test_economy_duplication_found if {
	inp := build.input_doc({"subprojects": [scoped(["智能审批", "网上申报"], ["网上申报"])]})
	graded("economy.duplication", "有", 0) with input as inp
}

test_economy_duplication_not_applicable if {
	not_applicable("economy.duplication") with input as build.input_doc({"subprojects": [build.subproject("S1", {})]})
}

# --- economy.costing: share of the request without cost support, in %

test_economy_costing_sound if {
	# +6 without breakdown over a request of 256.204: 2.34 %
	inp := build.input_doc({
		"project": build.project({"requested_fen": 256204000}),
		"budget_lines": [
			build.line("L1", "", 208204000, {"cost_basis": "market_inquiry"}),
			build.line("L5", "", 48000000, {"prior_year_fen": 42000000}),
		],
	})
	graded("economy.costing", "规范", 15) with input as inp
	p := indicator("economy.costing").params with input as inp
	p.unsupported == {"fen": 6000000}
	p.requested == {"fen": 256204000}
	p.percent == 2.34
}

test_economy_costing_fair if {
	# a line with no cost basis: 10 % of the request
	inp := build.input_doc({
		"project": build.project({"requested_fen": 10000}),
		"budget_lines": [build.line("L1", "", 9000, {}), build.line("L2", "", 1000, {"cost_basis": "none"})],
	})
	graded("economy.costing", "较规范", 8) with input as inp
}

test_economy_costing_unsound if {
	inp := build.input_doc({
		"project": build.project({"requested_fen": 10000}),
		"budget_lines": [build.line("L1", "", 10000, {"cost_basis": ""})],
	})
	graded("economy.costing", "不规范", 0) with input as inp
}

test_economy_costing_increase_with_breakdown_supported if {
	inp := build.input_doc({
		"project": build.project({"requested_fen": 4800}),
		"budget_lines": [build.line("L1", "", 4800, {"prior_year_fen": 4200, "breakdown": true})],
	})
	indicator("economy.costing").params.unsupported == {"fen": 0} with input as inp
}

test_economy_costing_not_applicable if {
	not_applicable("economy.costing") with input as build.input_doc({})
}

# --- budget.matching

test_budget_matching_yes if {
	inp := build.input_doc({"targets": build.complete_targets("S1"), "budget_lines": [build.line("L1", "", 100, {})]})
	graded("budget.matching", "是", 5) with input as inp
}

test_budget_matching_no if {
	inp := build.input_doc({
		"targets": build.complete_targets("S1"),
		"budget_lines": [build.line("L1", "", 100, {}), build.line("L2", "", 100, {"subproject": "S2"})],
	})
	graded("budget.matching", "否", 0) with input as inp
	indicator("budget.matching").params == {"matched": 1, "budgeted": 2} with input as inp
}

test_budget_matching_not_applicable if {
	inp := build.input_doc({"budget_lines": [build.line("L1", "", 100, {"subproject": ""})]})
	not_applicable("budget.matching") with input as inp
}

# --- budget.accuracy: counts the findings of its finding_codes

test_budget_accuracy_yes if {
	inp := build.totals(100, 100)
	graded("budget.accuracy", "是", 5) with input as inp
}

test_budget_accuracy_no if {
	# DECLARED_TOTAL_MISMATCH counts against the accuracy
	inp := build.totals(200, 100)
	graded("budget.accuracy", "否", 0) with input as inp
	indicator("budget.accuracy").params == {"count": 1} with input as inp
}

test_budget_accuracy_not_applicable if {
	not_applicable("budget.accuracy") with input as build.input_doc({})
}

# --- every indicator of params.indicators is listed, in order

test_indicators_in_data_order if {
	codes := [i.code | some i in indicators.indicators] with input as build.input_doc({})
	codes == [d.code | some d in data.params.indicators]
}

test_indicators_grade_points_from_data if {
	# a district that gives 1 point for argumentation changes only data
	defs := [object.union(d, patch) |
		some d in data.params.indicators
		patch := one_point(d.code)
	]
	graded("feasibility.argumentation", "是", 1) with input as build.input_doc({"subprojects": [argued]})
		with data.params.indicators as defs
}

one_point(code) := {"grades": [{"grade": "是", "min": 1, "points": 1}, {"grade": "否", "points": 0}]} if {
	code == "feasibility.argumentation"
} else := {}
