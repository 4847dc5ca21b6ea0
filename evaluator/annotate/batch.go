package annotate

import (
	"path/filepath"
	"strings"

	"github.com/budgetcheck/budgetcheck/evaluator/batch"
	"github.com/budgetcheck/budgetcheck/evaluator/result"
	"github.com/budgetcheck/budgetcheck/evaluator/summary"
	"github.com/budgetcheck/budgetcheck/evaluator/xlsximport"
)

// Batch consumes the items of a batch review, in the order batch.Run hands
// them over: every project goes to the register, and each input workbook,
// once its projects are all in, is copied with its notes under Dir.
type Batch struct {
	// Dir receives the annotated copies ("": no copies), each at its
	// workbook's path relative to Root (see Root).
	Dir string
	// Root is the folder the copies' paths are relative to: the deepest
	// folder that holds every input workbook, so that a folder of workbooks
	// comes back as the same tree of file names.
	Root string
	// Options tune the copies.
	Options Options
	// Warn is told of a workbook that could not be annotated; the batch
	// goes on.
	Warn func(input string, err error)

	register *Register
	input    string
	docs     []*result.Document
	// Copies and Failed count the workbooks annotated and not.
	Copies, Failed int
}

// NewBatch starts the register in out (the batch's output directory) and
// the annotated copies in dir ("" for none).
func NewBatch(out, dir string, opts Options) (*Batch, error) {
	r, err := NewRegister(out, opts.Lang)
	if err != nil {
		return nil, err
	}
	return &Batch{Dir: dir, Options: opts, register: r}, nil
}

// Add takes one item of the batch. Items of one input come one after the
// other; a workbook is annotated when the next input starts.
func (b *Batch) Add(item batch.Item) error {
	unit := soleUnit(item.Docs)
	for i, doc := range item.Docs {
		if len(doc.Errors) > 0 && doc.Project.Name == "" && i < len(item.Rows) {
			// A project that could not be read: its row knows its name
			// and code as read; its unit is the one every other project
			// of its workbook has, so that its letter reaches that unit.
			named := *doc
			named.Project.Name, named.Project.Code = item.Rows[i].Project, item.Rows[i].Code
			named.Project.BudgetUnit = unit
			doc = &named
		}
		sheet := ""
		if i < len(item.Rows) {
			sheet = item.Rows[i].Sheet
		}
		if err := b.register.AddFrom(doc, sheet); err != nil {
			return err
		}
	}
	if b.Dir == "" || !xlsximport.IsWorkbook(item.Input) {
		return nil
	}
	if item.Input != b.input {
		b.flush()
		b.input = item.Input
	}
	b.docs = append(b.docs, item.Docs...)
	return nil
}

// soleUnit is the 申请单位 of every project of docs that was read, when
// they all have the same one; "" otherwise.
func soleUnit(docs []*result.Document) string {
	unit := ""
	for _, d := range docs {
		switch u := d.Project.BudgetUnit; {
		case u == "":
		case unit == "":
			unit = u
		case u != unit:
			return ""
		}
	}
	return unit
}

// flush annotates the workbook whose items are all in.
func (b *Batch) flush() {
	if b.input == "" || strings.EqualFold(filepath.Ext(b.input), ".xls") {
		b.input, b.docs = "", nil
		return
	}
	if _, err := Workbook(b.input, CopyPath(b.Dir, b.Root, b.input), b.docs, b.Options); err != nil {
		b.Failed++
		if b.Warn != nil {
			b.Warn(b.input, err)
		}
	} else {
		b.Copies++
	}
	b.input, b.docs = "", nil
}

// CopyPath is where the annotated copy of input goes under dir: at its path
// relative to root, or under its own name when it is not below root.
func CopyPath(dir, root, input string) string {
	if rel, err := filepath.Rel(abs(root), abs(input)); err == nil && filepath.IsLocal(rel) {
		return filepath.Join(dir, rel)
	}
	return filepath.Join(dir, filepath.Base(input))
}

// Root is the deepest folder that holds every workbook among inputs.
func Root(inputs []string) string {
	root := ""
	for _, in := range inputs {
		if !xlsximport.IsWorkbook(in) {
			continue
		}
		dir := filepath.Dir(abs(in))
		if root == "" {
			root = dir
			continue
		}
		for root != filepath.Dir(root) && !within(root, dir) {
			root = filepath.Dir(root)
		}
	}
	return root
}

func within(root, dir string) bool {
	rel, err := filepath.Rel(root, dir)
	return err == nil && filepath.IsLocal(rel) || rel == "."
}

func abs(p string) string {
	if a, err := filepath.Abs(p); err == nil {
		return a
	}
	return filepath.Clean(p)
}

// Close annotates the last workbook and writes the register and letters,
// when copies were asked for or the batch holds a target review; otherwise
// it writes nothing. It reports whether it wrote the register.
func (b *Batch) Close(st summary.Status) (bool, error) {
	b.flush()
	if b.Dir == "" && b.register.Reviews == 0 {
		b.register.Discard()
		return false, nil
	}
	return true, b.register.Close(st)
}

// Discard removes the register's spill file without writing anything.
func (b *Batch) Discard() { b.register.Discard() }
