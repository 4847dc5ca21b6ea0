package xlsximport

import (
	"fmt"

	"github.com/budgetcheck/budgetcheck/evaluator/submission"
)

// msg is a message in English and in Chinese: every warning and problem of
// the import carries both (submission.Problem.Message and Zh), and outputs
// show the one of --lang.
type msg struct {
	en, zh     string
	args, zarg []any
}

// say is a message whose two texts take the same arguments.
func say(en, zh string, args ...any) msg { return msg{en: en, zh: zh, args: args, zarg: args} }

// zhArgs gives the Chinese text its own arguments (words translated).
func (m msg) zhArgs(args ...any) msg {
	m.zarg = args
	return m
}

func (m msg) problem(code, path string, p submission.Pos) submission.Problem {
	return submission.Problem{Code: code, Path: path, Pos: p, Message: fmt.Sprintf(m.en, m.args...), Zh: fmt.Sprintf(m.zh, m.zarg...)}
}
