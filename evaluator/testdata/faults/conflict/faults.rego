package budgetcheck.findings

# METADATA
# title: conflicting values
# description: A deliberately broken rule for budgetcheck's fault tests.
# custom:
#   code: FAULT_CONFLICT
#   severity: info
#   title_en: conflicting values
#   basis: none
findings contains {"code": "FAULT_CONFLICT", "subject": "project", "fact": "project", "params": {"level": fault_level}, "adjustments": []} if {
	fault_level > 0
}

# Two definitions of one complete rule that both hold with different values:
# a conflict at run time. (The values are computed: constant values would let
# OPA stop at the first definition.)
fault_level := year if {
	year := count(input.contracts)
}

fault_level := length if {
	length := count(input.project.name)
}
