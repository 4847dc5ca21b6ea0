# METADATA
# title: 实施基础评估
# description: >-
#   The pass/fail basic assessment: legal and policy basis, decision record,
#   beneficiaries and need. Failing any item means 不予支持 whatever the score.
# custom:
#   basis: 《成都市市级预算事前绩效评估管理实施细则》实施基础评估
package budgetcheck.basic

# items is the basic assessment, one item per entry of params.basic.items.
items := [{"code": item.code, "passed": passed(item.code)} | some item in data.params.basic.items]

passed(code) if satisfied[code]

else := false

# METADATA
# scope: rule
# title: 立项依据充分
# description: The project or every sub-project cites a policy document.
# custom:
#   code: policy_basis
satisfied["policy_basis"] if count(input.project.policy_basis) > 0

satisfied["policy_basis"] if {
	count(input.subprojects) > 0
	every sp in input.subprojects {
		count(sp.basis) > 0
	}
}

# METADATA
# scope: rule
# title: 决策程序完备
# description: A decision record (常务会议, 党组会议, 会议纪要 …) approves the project or a sub-project.
# custom:
#   code: decision
satisfied["decision"] if count(input.project.decisions) > 0

satisfied["decision"] if {
	some sp in input.subprojects
	count(sp.decisions) > 0
}

# METADATA
# title: 受益对象明确
# description: The beneficiaries are named.
# custom:
#   code: beneficiaries
satisfied["beneficiaries"] if count(input.project.beneficiaries) > 0

# METADATA
# title: 现实需求明确
# description: The need the project answers is stated.
# custom:
#   code: need
satisfied["need"] if trim_space(input.project.need) != ""
