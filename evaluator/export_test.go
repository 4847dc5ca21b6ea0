package evaluator

import (
	"context"

	"github.com/open-policy-agent/opa/v1/rego"
	"github.com/open-policy-agent/opa/v1/topdown"

	"github.com/budgetcheck/budgetcheck/evaluator/submission"
)

// EvalSteps counts the expressions OPA evaluates for the engine's query on
// sub: the measure of the policies' work that does not depend on the
// machine (steps_test.go).
func EvalSteps(e *Engine, sub *submission.Submission) (int, error) {
	input, err := e.Input(sub)
	if err != nil {
		return 0, err
	}
	var n stepCounter
	_, err = e.query.Eval(context.Background(), rego.EvalParsedInput(input), rego.EvalQueryTracer(&n))
	return int(n), err
}

// stepCounter is a query tracer that counts evaluated expressions.
type stepCounter int

func (*stepCounter) Enabled() bool               { return true }
func (*stepCounter) Config() topdown.TraceConfig { return topdown.TraceConfig{} }
func (n *stepCounter) TraceEvent(ev topdown.Event) {
	if ev.Op == topdown.EvalOp {
		*n++
	}
}
