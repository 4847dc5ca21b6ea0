# Tests of the rules the target review added: 政策依据, 测算依据, 年度目标, an
# empty table, 不适用 in mandatory rows and incomplete 不适用 rows, names
# measured without the spaces around them.
package budgetcheck.targets.review_rules_test

import data.budgetcheck.targets.build_test as build

complete := build.complete_targets("S1")

declared(fields) := build.declared(fields, complete)

with_row(row) := build.declared({}, array.concat(complete, [row]))

test_policy_basis_missing if {
	[f] := build.found("POLICY_BASIS_MISSING") with input as declared({"policy_basis": []})
	f.fact == "project.policy_basis"
	count(build.found("POLICY_BASIS_NO_DOCUMENT")) == 0 with input as declared({"policy_basis": []})
	count(build.found("POLICY_BASIS_MISSING")) == 0 with input as declared({})
}

test_policy_basis_no_document_quotes_an_excerpt if {
	long := concat("", [
		"为进一步提升政务服务水平，根据区委区政府工作安排，",
		"结合我区实际，开展政务服务热线运行工作，保障群众诉求及时办理",
	])
	prose := declared({"policy_basis": [{"title": long, "number": ""}]})
	[f] := build.found("POLICY_BASIS_NO_DOCUMENT") with input as prose
	f.params.text == "为进一步提升政务服务水平，根据区委区政府工作安排，结合我区实…"
	short := declared({"policy_basis": [{"title": "上级要求", "number": ""}]})
	[g] := build.found("POLICY_BASIS_NO_DOCUMENT") with input as short
	g.params.text == "上级要求"
}

test_cost_basis_missing_only_without_budget_lines if {
	[f] := build.found("COST_BASIS_MISSING") with input as declared({"cost_basis_text": " "})
	f.fact == "project.cost_basis_text"
	with_lines := object.union(declared({"cost_basis_text": ""}), {"budget_lines": [{"id": "L1"}]})
	count(build.found("COST_BASIS_MISSING")) == 0 with input as with_lines
}

test_cost_basis_no_computation if {
	bare := declared({"cost_basis_text": "以每年19.38万安排", "requested_fen": 19380000})
	[f] := build.found("COST_BASIS_NO_COMPUTATION") with input as bare
	f.params == {"text": "以每年19.38万安排", "requested": {"fen": 19380000}}
	count(build.found("COST_BASIS_NO_COMPUTATION")) == 0 with input as declared({})
}

test_annual_goal_missing if {
	[f] := build.found("ANNUAL_GOAL_MISSING") with input as declared({"annual_goal": "\n"})
	f.fact == "project.annual_goal"
	count(build.found("ANNUAL_GOAL_VAGUE")) == 0 with input as declared({"annual_goal": ""})
}

test_annual_goal_vague_name_only if {
	[f] := build.found("ANNUAL_GOAL_VAGUE") with input as declared({"annual_goal": "完成测试项目。"})
	f.params.goal == "完成测试项目。"
	count(build.found("ANNUAL_GOAL_VAGUE")) == 1 with input as declared({"annual_goal": "做好相关工作"})
	count(build.found("ANNUAL_GOAL_VAGUE")) == 0 with input as declared({"annual_goal": "完成3个测试项目"})
	clear := declared({"annual_goal": "测试项目：新增功能模块15个，验收合格率≥95%"})
	count(build.found("ANNUAL_GOAL_VAGUE")) == 0 with input as clear
}

test_targets_table_empty_once if {
	inp := build.declared({}, [build.target("B", {"name": " ", "value": build.text(""), "explanation": ""})])
	[f] := build.found("TARGETS_TABLE_EMPTY") with input as inp
	f.fact == "targets"
	f.params.rows == 1
	build.codes == {"TARGETS_TABLE_EMPTY"} with input as inp
}

test_targets_table_filled_row if {
	count(build.found("TARGETS_TABLE_EMPTY")) == 0 with input as declared({})
}

without_cost := [t | some t in complete; t.level2 != "成本"]

cost_says(word) := build.declared({}, array.concat(without_cost, [build.target("C", {
	"level2": "成本", "name": "成本",
	"value": build.text(word), "explanation": "无",
})]))

na_words := ["不适用", "无", "/", "—", " 无 "]

test_mandatory_not_applicable_words if {
	found := [[f.subject, f.fact, f.params.example] |
		some word in na_words
		fs := build.found("TARGET_MANDATORY_NOT_APPLICABLE") with input as cost_says(word)
		some f in fs
	]
	found == [["成本", "targets[C].value", "≤50万元"] | some _ in na_words]
	missing := [word |
		some word in na_words
		count(build.found("TARGET_MANDATORY_MISSING")) > 0 with input as cost_says(word)
	]
	missing == []
}

test_mandatory_not_applicable_with_a_real_row if {
	na := build.target("C", {"level2": "成本", "name": "不适用", "value": build.not_applicable, "explanation": "不适用"})
	count(build.found("TARGET_MANDATORY_NOT_APPLICABLE")) == 0 with input as with_row(na)
}

test_not_applicable_incomplete if {
	row := build.target("E", {
		"level1": "效益", "level2": "生态效益",
		"name": "", "value": build.not_applicable, "explanation": "",
	})
	[f] := build.found("TARGET_NOT_APPLICABLE_INCOMPLETE") with input as with_row(row)
	f.fact == "targets[E].name"
	f.params.field.zh == "三级指标名称"
	row2 := object.union(row, {"name": "不适用"})
	[g] := build.found("TARGET_NOT_APPLICABLE_INCOMPLETE") with input as with_row(row2)
	g.fact == "targets[E].explanation"
	row3 := object.union(row2, {"explanation": "不适用"})
	count(build.found("TARGET_NOT_APPLICABLE_INCOMPLETE")) == 0 with input as with_row(row3)
}

test_name_too_long_ignores_surrounding_whitespace if {
	row := build.target("L", {"name": "\n 政务服务平台功能模块升级数量\t　"})
	count(build.found("TARGET_NAME_TOO_LONG")) == 0 with input as with_row(row)
	long := build.target("L", {"name": "\n政务服务综合管理平台功能模块数 "})
	[f] := build.found("TARGET_NAME_TOO_LONG") with input as with_row(long)
	f.params.length == 15
	f.params.name == "政务服务综合管理平台功能模块数"
}

test_mandatory_level2_public_service if {
	data.budgetcheck.targets.mandatory_level2 == ["数量", "质量", "时效", "成本", "社会效益"] with input as declared({})
	count(data.budgetcheck.targets.mandatory_level2) == 6 with input as declared({"public_service": true})
}

test_measurable_parts if {
	data.budgetcheck.targets.measurable(build.rate)
	not data.budgetcheck.targets.measurable(build.value("15", "", "15", "", ""))
}

test_not_applicable_name_is_not_misnamed if {
	row := build.target("Q", {"level2": "质量", "name": "不适用", "value": build.rate, "explanation": "不适用"})
	count(build.found("QUALITY_INDICATOR_MISCLASSIFIED")) == 0 with input as with_row(row)
	count(build.found("TARGET_PARTLY_NOT_APPLICABLE")) == 1 with input as with_row(row)
	timely := build.target("D", {
		"level2": "时效", "name": "不适用",
		"value": build.by_date("2022年10月前", "2022-10"), "explanation": "不适用",
	})
	count(build.found("TARGET_NAME_SUFFIX")) == 0 with input as with_row(timely)
}
