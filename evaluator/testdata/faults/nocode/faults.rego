package budgetcheck.findings

# METADATA
# title: a finding without its code
# description: A deliberately broken rule for budgetcheck's fault tests.
# custom:
#   code: FAULT_NOCODE
#   severity: info
#   title_en: a finding without its code
#   basis: none
findings contains f if {
	some c in input.contracts
	f := {"subject": c.id, "fact": c.at, "params": {}, "adjustments": []}
}
