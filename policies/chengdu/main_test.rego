package budgetcheck.main_test

import data.budgetcheck.build_test as build
import data.budgetcheck.main

test_result_holds_every_part if {
	r := main.result with input as build.input_doc({})
	count(r.basic) == count(data.params.basic.items)
	count(r.indicators) == count(data.params.indicators)

	# no target rows and no budget lines: the table is empty and nothing shows the costing
	{f.code | some f in r.findings} == {"TARGETS_TABLE_EMPTY", "COST_BASIS_MISSING"}
}

test_result_findings if {
	inp := build.totals(200, 100)
	codes := {f.code | some f in main.result.findings} with input as inp
	codes == {"DECLARED_TOTAL_MISMATCH", "TARGETS_TABLE_EMPTY"}
}
