package budgetcheck.findings

# METADATA
# title: never ends
# description: A deliberately broken rule for budgetcheck's fault tests.
# custom:
#   code: FAULT_SLOW
#   severity: info
#   title_en: never ends
#   basis: none
findings contains {"code": "FAULT_SLOW", "subject": "project", "fact": "project", "params": {}, "adjustments": []} if {
	endless
}

# 10^15 combinations, none of which holds: it runs until the timeout.
endless if {
	some a in numbers.range(1, 100000)
	some b in numbers.range(1, 100000)
	some c in numbers.range(1, 100000)
	a + b + c < 0
}
