package derive

import "github.com/open-policy-agent/opa/v1/ast"

// The input document's keys are interned once: every document shares their
// terms instead of allocating them again (OPA interns its own common terms
// the same way, at initialisation only).
func init() {
	ast.InternStringTerm(
		"schema", "fiscal_year", "unit", "project", "subprojects", "targets", "contracts", "budget_lines",
		"at", "id", "name", "code", "budget_unit", "department", "attribute", "region", "requested_fen",
		"fiscal_funds_fen", "public_service", "beneficiaries", "need", "policy_basis", "decisions",
		"annual_goal", "long_term_goal", "cost_basis_text", "cost_basis_amounts", "fen", "text", "before",
		"kind", "title", "number", "date", "years", "items", "basis", "argumentation", "plan",
		"quality_control", "scope", "quantities", "new_items", "prior_period",
		"level1", "level2", "name_length", "value", "prefix", "explanation", "subproject", "derived_from", "plan_value",
		"contract", "amount_fen", "cost_basis", "prior_year_fen", "breakdown",
		"supplier", "signed", "status", "total_fen", "term", "components", "instalments", "cycle", "cycles",
		"predecessor", "due_fen", "maintenance_due_fen", "arrears_fen", "predecessor_arrears_fen", "cycles_ending_fen",
		"service_start", "assessment_criteria", "seq", "ratio", "due_year", "trigger", "paid", "maintenance_fen",
		"start", "end", "end_year", "annual_fee_fen", "cycles_per_year", "term_years", "start_assumed", "unpaid",
	)
}

var null = ast.InternedNullTerm

func item(key string, v *ast.Term) [2]*ast.Term { return [2]*ast.Term{ast.InternedTerm(key), v} }

func str(s string) *ast.Term { return ast.InternedTerm(s) }

func num[T int | int64](n T) *ast.Term { return ast.InternedTerm(n) }

func boolean(b bool) *ast.Term { return ast.InternedTerm(b) }
