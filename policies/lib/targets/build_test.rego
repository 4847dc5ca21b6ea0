# METADATA
# title: Builders of small hand-made inputs for the target rules' tests
# description: >-
#   Each builder returns a fact shaped like the input document (see
#   `budgetcheck policy input FILE`) with sensible defaults; a test overrides
#   only the fields it is about with object.union. Both rulesets' tests use them.
package budgetcheck.targets.build_test

# found(code) is the target findings of that code.
found(code) := [f | some f in data.budgetcheck.targets.findings; f.code == code]

# codes are the codes of all target findings.
codes contains f.code if some f in data.budgetcheck.targets.findings

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
		"code": "510113210000001",
		"requested_fen": 0,
		"public_service": false,
		"beneficiaries": ["办事群众"],
		"need": "提升政务服务效率",
		"policy_basis": [{"title": "《政务服务条例》", "number": ""}],
		"decisions": [{"kind": "meeting_minutes", "title": "局党组会议纪要", "date": "2020-10-01"}],
		"annual_goal": "完成平台升级，新增功能模块15个",
		"cost_basis_text": "功能模块15个×2万元/个=30万元",
		"cost_basis_amounts": [],
	},
	fields,
)

# declared(project_fields, rows) is a 申报表: texts and targets, no budget lines.
declared(project_fields, rows) := input_doc({"project": project(project_fields), "targets": rows})

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

# text(s) is a value with only its text: what the Go parser gives for words.
text(s) := value(s, "", "", "", "")

# benefit(id, v) is a 效益/社会效益 row valued v.
benefit(id, v) := target(id, {"level1": "效益", "level2": "社会效益", "value": v})

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
