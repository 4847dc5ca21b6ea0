package budgetcheck.targets.texts_test

# doc is an input with only what texts.rego reads: the request in fen, the
# code, the amounts derive found in 测算依据, and target rows.
doc(requested_fen, code, amounts, targets) := {
	"schema": "budgetcheck.input/v1",
	"fiscal_year": 2022,
	"unit": "万元",
	"project": {
		"at": "project",
		"name": "测试项目",
		"code": code,
		"requested_fen": requested_fen,
		"cost_basis_amounts": amounts,
	},
	"subprojects": [],
	"targets": targets,
	"contracts": [],
	"budget_lines": [],
}

amount(fen, before) := {"fen": fen, "text": "", "before": before}

# 51.71 万元 in fen
wan_5171 := 51710000

codes contains f.code if some f in data.budgetcheck.targets.findings

found(code) := [f | some f in data.budgetcheck.targets.findings; f.code == code]

target(name, value, explanation) := {
	"at": "targets[0]",
	"id": "T1",
	"level1": "产出",
	"level2": "质量",
	"name": name,
	"name_length": count(name),
	"value": {"text": value, "prefix": "≥", "number": "95", "unit": "%", "date": ""},
	"explanation": explanation,
	"subproject": "",
	"derived_from": "",
	"plan_value": null,
}

test_cost_basis_total_agrees if {
	amounts := [amount(30000000, "服务器采购"), amount(21710000, "运维服务"), amount(wan_5171, "合计")]
	inp := doc(wan_5171, "510113210000001", amounts, [])
	not "COSTING_AMOUNT_MISMATCH" in codes with input as inp
	not "COSTING_UNIT_MISMATCH" in codes with input as inp
}

test_cost_basis_sum_without_total_agrees if {
	inp := doc(wan_5171, "", [amount(30000000, "服务器采购"), amount(21710000, "运维服务")], [])
	not "COSTING_AMOUNT_MISMATCH" in codes with input as inp
}

test_cost_basis_unit_mismatch if {
	# 本年度项目金额（万元） 517100: the 元 amount under a 万元 heading
	inp := doc(517100 * 1000000, "", [amount(1500000, "坐席服务30个×"), amount(45000000, "="), amount(wan_5171, "合计")], [])
	[f] := found("COSTING_UNIT_MISMATCH") with input as inp
	f.params.factor == 10000
	f.params.stated.fen == wan_5171
	f.fact == "project.requested_total"
	not "COSTING_AMOUNT_MISMATCH" in codes with input as inp
}

test_cost_basis_amount_mismatch if {
	inp := doc(120000000, "", [amount(500000, "养护里程200公里×"), amount(100000000, "合计")], [])
	[f] := found("COSTING_AMOUNT_MISMATCH") with input as inp
	f.params.difference.fen == 20000000
	f.fact == "project.cost_basis_text"
	not "COSTING_UNIT_MISMATCH" in codes with input as inp
}

test_cost_basis_within_tolerance if {
	inp := doc(wan_5171 + 100, "", [amount(wan_5171, "合计")], [])
	not "COSTING_AMOUNT_MISMATCH" in codes with input as inp
}

test_cost_basis_without_amounts if {
	inp := doc(wan_5171, "", [], [])
	not "COSTING_AMOUNT_MISMATCH" in codes with input as inp
	not "COSTING_UNIT_MISMATCH" in codes with input as inp
}

test_project_code_mangled if {
	[f] := found("PROJECT_CODE_MANGLED") with input as doc(0, "5.10113E+17", [], [])
	f.params.code == "5.10113E+17"
}

test_project_code_intact if {
	not "PROJECT_CODE_MANGLED" in codes with input as doc(0, "510113210000001", [], [])
	not "PROJECT_CODE_MANGLED" in codes with input as doc(0, "", [], [])
}

test_target_partly_not_applicable_name if {
	[f] := found("TARGET_PARTLY_NOT_APPLICABLE") with input as doc(0, "", [], [target("不适用", "≥95%", "不适用")])
	f.fact == "targets[0].value"
}

test_target_partly_not_applicable_explanation if {
	"TARGET_PARTLY_NOT_APPLICABLE" in codes with input as doc(0, "", [], [target("设备验收合格率", "≥95%", "不适用")])
}

test_target_not_applicable_row_is_consistent if {
	not "TARGET_PARTLY_NOT_APPLICABLE" in codes with input as doc(0, "", [], [target("设备采购成本", "不适用", "本项目按定额补助")])
	not "TARGET_PARTLY_NOT_APPLICABLE" in codes with input as doc(0, "", [], [target("设备验收合格率", "≥95%", "考察设备质量")])
}

test_cost_basis_unit_mismatch_reverse if {
	# 51.71 written under a 元 heading while 测算依据 says 51.71万
	inp := doc(5171, "", [amount(wan_5171, "合计")], [])
	[f] := found("COSTING_UNIT_MISMATCH") with input as inp
	f.params.factor == 10000
}

test_cost_basis_unit_mismatch_beyond_plausible if {
	# 本年度项目金额（万元） 810000 and a 测算依据 in prose: no amount to compare
	inp := doc(810000 * 1000000, "", [], [])
	[f] := found("COSTING_UNIT_MISMATCH") with input as inp
	f.params.stated.fen == data.params.texts.plausible_max_fen
	f.params.relation.zh == "已超出"
	not "COSTING_AMOUNT_MISMATCH" in codes with input as inp
}

test_cost_basis_plausible_request_is_no_mismatch if {
	not "COSTING_UNIT_MISMATCH" in codes with input as doc(wan_5171, "", [], [])
}
