package budgetcheck.basic_test

import data.budgetcheck.basic
import data.budgetcheck.build_test as build

passed(code) := item.passed if {
	some item in basic.items
	item.code == code
}

test_items_all_passed if {
	results := {item.code: item.passed | some item in basic.items} with input as build.input_doc({})
	results == {"policy_basis": true, "decision": true, "beneficiaries": true, "need": true}
}

test_policy_basis_project if {
	passed("policy_basis") with input as build.input_doc({})
}

test_policy_basis_every_subproject if {
	inp := build.input_doc({
		"project": build.project({"policy_basis": []}),
		"subprojects": [build.subproject("S1", {"basis": [{"title": "《条例》", "number": ""}]})],
	})
	passed("policy_basis") with input as inp
}

test_policy_basis_missing if {
	inp := build.input_doc({
		"project": build.project({"policy_basis": []}),
		"subprojects": [
			build.subproject("S1", {"basis": [{"title": "《条例》", "number": ""}]}),
			build.subproject("S2", {}),
		],
	})
	passed("policy_basis") == false with input as inp
}

test_decision_subproject if {
	inp := build.input_doc({
		"project": build.project({"decisions": []}),
		"subprojects": [build.subproject("S1", {"decisions": [{"kind": "meeting_minutes", "title": "纪要"}]})],
	})
	passed("decision") with input as inp
}

test_decision_missing if {
	inp := build.input_doc({"project": build.project({"decisions": []}), "subprojects": [build.subproject("S1", {})]})
	passed("decision") == false with input as inp
}

test_beneficiaries_missing if {
	passed("beneficiaries") == false with input as build.input_doc({"project": build.project({"beneficiaries": []})})
}

test_need_blank if {
	passed("need") == false with input as build.input_doc({"project": build.project({"need": "  "})})
}
