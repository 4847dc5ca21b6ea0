# METADATA
# title: Builders of small hand-made inputs for the ruleset's tests
# description: >-
#   Each builder returns a fact shaped like the input document (see
#   `budgetcheck policy input FILE`) with sensible defaults; a test overrides
#   only the fields it is about with object.union. Amounts are integer fen:
#   1 万元 = 1000000 fen.
package budgetcheck.build_test

import data.budgetcheck.findings
import data.budgetcheck.targets
import data.budgetcheck.targets.build_test as tb

# found(code) is the findings of that code, the ruleset's and the target library's.
found(code) := [f | some f in (findings.findings | targets.findings); f.code == code]

# codes are the codes of all findings.
codes contains f.code if some f in (findings.findings | targets.findings)

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

# The target builders live with the target rules (policies/lib/targets).
value(text, prefix, number, unit, date) := tb.value(text, prefix, number, unit, date)

rate := tb.rate

percent(n) := tb.percent(n)

items := tb.items

vague := tb.vague

not_applicable := tb.not_applicable

by_date(text, date) := tb.by_date(text, date)

benefit(id, v) := tb.benefit(id, v)

target(id, fields) := tb.target(id, fields)

complete_targets(sp) := tb.complete_targets(sp)

# totals(requested_fen, line_fen) is a project with one budget line.
totals(requested_fen, line_fen) := input_doc({
	"project": project({"requested_fen": requested_fen}),
	"budget_lines": [line("L1", "", line_fen, {})],
})

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
	"end_year": to_number(substring(end, 0, 4)),
	"amount_fen": amount_fen,
}
