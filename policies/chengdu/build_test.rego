# METADATA
# title: Builders of small hand-made inputs for the ruleset's tests
# description: >-
#   Each builder returns a fact shaped like the input document (see
#   `budgetcheck policy input FILE`) with sensible defaults; a test overrides
#   only the fields it is about with object.union. Amounts are integer fen:
#   1 万元 = 1000000 fen.
package budgetcheck.build_test

import data.budgetcheck.findings

# found(code) is the findings of that code.
found(code) := [f | some f in findings.findings; f.code == code]

# codes are the codes of all findings.
codes contains f.code if some f in findings.findings

# input_doc(fields) is a whole input document for fiscal year 2021.
input_doc(fields) := object.union(
	{
		"schema": "budgetcheck.input/v1",
		"fiscal_year": 2021,
		"unit": "万元",
		"project": project({}),
		"subprojects": [],
		"targets": [],
		"contracts": [],
		"budget_lines": [],
	},
	fields,
)

project(fields) := object.union(
	{
		"at": "project",
		"name": "测试项目",
		"requested_fen": 0,
		"public_service": false,
		"beneficiaries": ["办事群众"],
		"need": "提升政务服务效率",
		"policy_basis": [{"title": "《政务服务条例》", "number": ""}],
		"decisions": [{"kind": "meeting_minutes", "title": "局党组会议纪要", "date": "2020-10-01"}],
		"annual_goal": "完成平台升级",
	},
	fields,
)

subproject(id, fields) := object.union(
	{
		"at": "subprojects[0]",
		"id": id,
		"name": concat("", ["子项目", id]),
		"kind": "it_construction",
		"basis": [],
		"decisions": [],
		"argumentation": [],
		"plan": null,
		"quality_control": [],
		"scope": null,
		"prior_period": [],
	},
	fields,
)

value(text, prefix, number, unit, date) := {
	"text": text,
	"prefix": prefix,
	"number": number,
	"unit": unit,
	"date": date,
}

rate := percent(95)

percent(n) := value(sprintf("≥%d%%", [n]), "≥", format_int(n, 10), "%", "")

items := value("15个", "", "15", "个", "")

vague := value("明显提升", "", "", "", "")

not_applicable := value("不适用", "", "", "", "")

by_date(text, date) := value(text, "", "", "", date)

# benefit(id, v) is a 效益/社会效益 row valued v.
benefit(id, v) := target(id, {"level1": "效益", "level2": "社会效益", "value": v})

# totals(requested_fen, line_fen) is a project with one budget line.
totals(requested_fen, line_fen) := input_doc({
	"project": project({"requested_fen": requested_fen}),
	"budget_lines": [line("L1", "", line_fen, {})],
})

target(id, fields) := object.union(
	{
		"name_length": count(object.get(fields, "name", "功能模块数")),
		"at": concat("", ["targets[", id, "]"]),
		"id": id,
		"level1": "产出",
		"level2": "数量",
		"name": "功能模块数",
		"value": items,
		"explanation": "考察功能模块建设数量",
		"subproject": "S1",
		"derived_from": "",
		"plan_value": null,
	},
	fields,
)

# complete_targets(sp) are well-formed rows for every mandatory level-2 indicator.
complete_targets(sp) := [
	target(concat("", [sp, "-1"]), {"subproject": sp}),
	target(concat("", [sp, "-2"]), {"subproject": sp, "level2": "质量", "name": "验收合格率", "value": percent(95)}),
	target(concat("", [sp, "-3"]), {"subproject": sp, "level2": "时效", "name": "上线及时率", "value": percent(95)}),
	target(concat("", [sp, "-4"]), {
		"subproject": sp, "level2": "成本", "name": "运维成本",
		"value": value("≤80万元", "≤", "80", "万元", ""),
	}),
	target(concat("", [sp, "-5"]), {
		"subproject": sp, "level1": "效益", "level2": "社会效益",
		"name": "办件时间节约率", "value": percent(95),
	}),
]

line(id, contract, amount_fen, fields) := object.union(
	{
		"at": concat("", ["budget_lines[", id, "]"]),
		"id": id,
		"name": concat("", ["预算行", id]),
		"subproject": "S1",
		"contract": contract,
		"amount_fen": amount_fen,
		"cost_basis": "contract",
		"prior_year_fen": null,
		"breakdown": false,
	},
	fields,
)

contract(id, fields) := object.union(
	{
		"at": concat("", ["contracts[", id, "]"]),
		"id": id,
		"name": concat("", ["合同", id]),
		"subproject": "S1",
		"status": "signed",
		"components": [],
		"instalments": [],
		"cycle": null,
		"cycles": [],
		"predecessor": null,
		"fiscal_year": {
			"due_fen": 0,
			"maintenance_due_fen": 0,
			"arrears_fen": 0,
			"predecessor_arrears_fen": 0,
			"cycles_ending_fen": 0,
		},
	},
	fields,
)

instalment(seq, amount_fen, due_year, fields) := object.union(
	{
		"at": sprintf("contracts[0].instalments[%d]", [seq - 1]),
		"seq": seq,
		"ratio": null,
		"amount_fen": amount_fen,
		"due_year": due_year,
		"trigger": "",
		"paid": false,
		"maintenance_fen": 0,
	},
	fields,
)

cycle(seq, end, amount_fen) := {
	"at": "contracts[0].cycle_payment",
	"seq": seq,
	"start": "",
	"end": end,
	"amount_fen": amount_fen,
}
