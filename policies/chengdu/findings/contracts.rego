# METADATA
# title: 问题清单
# description: >-
#   The findings: each rule adds the problems of one kind, with the fact it is
#   about and its budget adjustment. contracts.rego compares the budget lines
#   with the contracts' payment terms; budget.rego and targets.rego check the
#   lines and the target table.
package budgetcheck.findings

import data.budgetcheck.lib

money(fen) := {"fen": fen}

# settled(c): the lines paying c already ask for what the policies recommend
# (due + arrears - unpayable cycles - prepaid maintenance), so nothing about
# c's amounts is to be adjusted.
settled(c) if lib.budgeted_fen[c.id] == lib.payable_fen(c)

# METADATA
# title: 运维费提前支付
# description: >-
#   An instalment this year pays (due this year, or an arrear of an earlier
#   year) carries, pro rata, a maintenance component that has not started or
#   has no assessment criteria. The maintenance share is cut.
# custom:
#   code: PREPAID_MAINTENANCE
#   severity: error
#   title_en: Maintenance fee prepaid
#   basis: 《成都市市级预算事前绩效评估管理实施细则》投入经济性；运维服务应按考核结果付费
findings contains {
	"code": "PREPAID_MAINTENANCE",
	"subject": c.id,
	"fact": concat("", [inst.at, ".amount"]),
	"params": {
		"contract": c.id,
		"instalment": inst.seq,
		"period": named(names.instalment, [inst.seq, inst.due_year]),
		"instalment_amount": money(inst.amount_fen),
		"maintenance": money(inst.maintenance_fen),
		"component": concat("、", [comp.name | some comp in lib.prepaid_components(c)]),
	},
	"adjustments": lib.line_adjustment(c, 0 - inst.maintenance_fen),
} if {
	some c in input.contracts
	not settled(c)
	some inst in lib.prepaid_instalments(c)
}

# METADATA
# title: 合同应付款未纳入预算
# description: >-
#   A binding contract has payments due this year (or unpaid from earlier
#   years) and no budget line pays it. A new line is recommended for what is
#   payable this year.
# custom:
#   code: CONTRACT_PAYMENT_UNBUDGETED
#   severity: error
#   title_en: Contract payment not budgeted
#   basis: 合同约定的付款进度；《成都市市级预算事前绩效评估管理实施细则》预算合理性
findings contains {
	"code": "CONTRACT_PAYMENT_UNBUDGETED",
	"subject": c.id,
	"fact": c.at,
	"params": {
		"contract": c.id,
		"contract_name": c.name,
		"due": money(c.fiscal_year.due_fen),
		"arrears": money(lib.arrears_fen(c)),
		"payable": money(payable),
	},
	"adjustments": [{
		"line": concat(":", ["contract", c.id]),
		"amount_fen": payable,
		"new": {"name": c.name, "subproject": c.subproject, "contract": c.id},
	}],
} if {
	some c in input.contracts
	c.status in lib.params.contracts.binding_statuses
	not lib.contract_line[c.id]
	payable := lib.payable_fen(c)
	payable > 0
}

# METADATA
# title: 预算与合同金额不符
# description: >-
#   The budget lines paying a contract ask for neither what falls due this year
#   under the contract nor that plus the arrears. The difference is adjusted.
# custom:
#   code: BUDGET_CONTRACT_MISMATCH
#   severity: error
#   title_en: Budget differs from the contract
#   basis: 已签订（意向）合同；《成都市市级预算事前绩效评估管理实施细则》编制准确
findings contains {
	"code": "BUDGET_CONTRACT_MISMATCH",
	"subject": line.id,
	"fact": concat("", [line.at, ".amount"]),
	"params": {
		"line": line.id,
		"contract": cid,
		"budgeted": money(budgeted),
		"contract_amount": money(due),
		"difference": money(due - budgeted),
	},
	"adjustments": [{"line": line.id, "amount_fen": due - budgeted}],
} if {
	some cid, line in lib.contract_line
	c := lib.contracts_by_id[cid]
	not settled(c)
	budgeted := lib.budgeted_fen[cid]
	due := c.fiscal_year.due_fen
	not budgeted in {due, due + lib.arrears_fen(c)}
}

# METADATA
# title: 考核周期付款不能在本年完成
# description: >-
#   A service paid after each assessment cycle has cycles ending this year
#   whose assessment and payment (params.payment.lag_days) fall after 31
#   December. Their fees are cut from this year's budget.
# custom:
#   code: ASSESSMENT_CYCLE_UNPAYABLE
#   severity: warning
#   title_en: Assessment-cycle payment falls after the year
#   basis: 合同约定按考核结果分次付款；财政资金使用的经济性
findings contains {
	"code": "ASSESSMENT_CYCLE_UNPAYABLE",
	"subject": c.id,
	"fact": c.cycle.at,
	"params": {
		"contract": c.id,
		"cycles": count(unpayable),
		"amount": money(amount),
		"lag": lib.params.payment.lag_days,
		"payable_cycles": count([cy | some cy in c.cycles; lib.pay_year(cy.end) == lib.fy]),
	},
	"adjustments": lib.line_adjustment(c, 0 - amount),
} if {
	some c in input.contracts
	not settled(c)
	unpayable := lib.unpayable_cycles(c)
	count(unpayable) > 0
	amount := lib.unpayable_fen(c)
}

# METADATA
# title: 以前年度欠款未纳入预算
# description: >-
#   An amount that falls on this year from an earlier one is not in the line
#   that pays the contract: an unpaid instalment of the contract, an unpaid
#   amount of the contract it replaces, or an assessment cycle that ended last
#   year and is paid this year. One finding per debt, each named with its own
#   contract and period.
# custom:
#   code: ARREARS_UNBUDGETED
#   severity: error
#   title_en: Arrears not budgeted
#   basis: 合同约定；财政资金支付的及时性
findings contains {
	"code": "ARREARS_UNBUDGETED",
	"subject": c.id,
	"fact": debt.fact,
	"params": {
		"contract": c.id,
		"line": line.id,
		"arrears": money(debt.amount_fen),
		"debtor": debt.debtor,
		"period": debt.period,
	},
	"adjustments": [{"line": line.id, "amount_fen": debt.amount_fen}],
} if {
	some cid, line in lib.contract_line
	c := lib.contracts_by_id[cid]
	not settled(c)
	arrears := lib.arrears_fen(c)
	arrears > 0
	lib.budgeted_fen[cid] != c.fiscal_year.due_fen + arrears
	some debt in debts(c)
	debt.amount_fen > 0
}

# debts(c) are the amounts lib.arrears_fen(c) adds up, one by one: the
# predecessor's unpaid amounts, the contract's own unpaid instalments of
# earlier years, and its cycles carried over from last year.
debts(c) := array.flatten([predecessor_debts(c), instalment_debts(c), cycle_debts(c)])

predecessor_debts(c) := [{
	"fact": concat("", [u.at, ".amount"]),
	"amount_fen": u.amount_fen,
	"debtor": named(names.predecessor, [c.predecessor.name]),
	"period": {"zh": u.name, "en": u.name},
} |
	c.fiscal_year.predecessor_arrears_fen > 0
	some u in c.predecessor.unpaid
	u.due_year < lib.fy
]

instalment_debts(c) := [{
	"fact": concat("", [i.at, ".amount"]),
	"amount_fen": i.amount_fen,
	"debtor": named(names.contract, [c.id]),
	"period": named(names.instalment, [i.seq, i.due_year]),
} |
	some i in c.instalments
	not i.paid
	i.due_year > 0
	i.due_year < lib.fy
]

cycle_debts(c) := [{
	"fact": cy.at,
	"amount_fen": cy.amount_fen,
	"debtor": named(names.contract, [c.id]),
	"period": named(names.cycle, [cy.start, cy.end]),
} |
	some cy in lib.carried_cycles(c)
]

names := lib.params.contracts.names

# named(format, args) writes a name from the data's format in both languages.
named(format, args) := {"zh": sprintf(format.zh, args), "en": sprintf(format.en, args)}

# METADATA
# title: 合同未签订
# description: A budget line pays a contract that is only intended or pending, not signed.
# custom:
#   code: CONTRACT_UNSIGNED
#   severity: error
#   title_en: Contract not signed
#   basis: 《成都市市级预算事前绩效评估管理实施细则》方案实施可行性
findings contains {
	"code": "CONTRACT_UNSIGNED",
	"subject": c.id,
	"fact": concat("", [c.at, ".status"]),
	"params": {
		"contract": c.id,
		"contract_name": c.name,
		"status": object.get(lib.params.contracts.status_names, c.status, c.status),
	},
	"adjustments": [],
} if {
	some c in input.contracts
	c.status in lib.params.contracts.unsigned_statuses
	lib.contract_line[c.id]
}
