package submission

import (
	"bytes"
	"fmt"
	"strings"
)

// Hostile inputs too large to commit, written by code for the tests and the
// corpus (fixtures/invalid): each returns the file's text and the line its
// problem is reported at.

const hostileHead = "schema: budgetcheck/v1\nproject:\n  name: 测试项目\n  budget_unit: 测试单位\n  fiscal_year: 2021\n  requested_total: 100\n"

// AliasedText is one long text anchored once and aliased many times, each
// alias within the collection limits (one per target): the alias budget
// counts bytes, not values, and refuses it at the first alias that goes
// over (line 9 for a text of more than 1 MiB).
func AliasedText(chars, aliases int) ([]byte, int) {
	var b bytes.Buffer
	b.WriteString(hostileHead)
	fmt.Fprintf(&b, "  need: &big %s\ntargets:\n", strings.Repeat("长", chars))
	for i := range aliases {
		fmt.Fprintf(&b, "  - {id: T%d, level1: 产出, level2: 数量, name: 指标, explanation: *big}\n", i)
	}
	return b.Bytes(), 9
}

// ManyTargets is a submission of n valid target rows (line 8: targets).
func ManyTargets(n int) ([]byte, int) {
	var b bytes.Buffer
	b.WriteString(hostileHead + "targets:\n")
	for i := range n {
		fmt.Fprintf(&b, "  - {id: T%d, level1: 产出, level2: 数量, name: 指标%d, value: '≥%d个'}\n", i, i, i)
	}
	return b.Bytes(), 8
}

// ManyInstalments is a submission of contracts × instalments payments; the
// line is where the first contract's instalments begin (line 12): more than
// a contract may hold, or, within that limit, more than all may (line 8).
func ManyInstalments(contracts, instalments int) ([]byte, int) {
	var b bytes.Buffer
	b.WriteString(hostileHead + "contracts:\n")
	for c := range contracts {
		fmt.Fprintf(&b, "  - id: C%d\n    name: 合同%d\n    status: signed\n    instalments:\n", c, c)
		for range instalments {
			b.WriteString("      - {amount: 1, due_year: 2021}\n")
		}
	}
	if contracts*instalments > 10_000 {
		return b.Bytes(), 8
	}
	return b.Bytes(), 12
}

// ManyValues is a file of n one-letter values in one flow list: the parser's
// tree would take about 200 bytes each. Refused before parsing, at line 7
// (the list's line) when the list is on one line.
func ManyValues(n int) ([]byte, int) {
	var b bytes.Buffer
	b.WriteString(hostileHead + "  beneficiaries: [")
	b.WriteString(strings.Repeat("a,", n))
	b.WriteString("a]\n")
	return b.Bytes(), 7
}
