package budgetcheck.findings

# METADATA
# title: divides by zero
# description: A deliberately broken rule for budgetcheck's fault tests.
# custom:
#   code: FAULT_DIVIDE
#   severity: info
#   title_en: divides by zero
#   basis: none
findings contains {"code": "FAULT_DIVIDE", "subject": "project", "fact": "project", "params": {"share": share}, "adjustments": []} if {
	share := count(input.contracts) / count([x | some x in input.contracts; x.id == "none"])
}
