package budgetcheck.main_test

import data.budgetcheck.build_test as build
import data.budgetcheck.main

test_result_holds_every_part if {
	r := main.result with input as build.input_doc({})
	count(r.basic) == count(data.params.basic.items)
	count(r.indicators) == count(data.params.indicators)
	r.findings == set()
}

test_result_findings if {
	inp := build.totals(200, 100)
	codes := {f.code | some f in main.result.findings} with input as inp
	codes == {"DECLARED_TOTAL_MISMATCH"}
}
