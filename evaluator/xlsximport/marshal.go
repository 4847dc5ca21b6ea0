package xlsximport

import (
	"bytes"
	"fmt"
	"strconv"
	"strings"

	"gopkg.in/yaml.v3"

	"github.com/budgetcheck/budgetcheck/evaluator/submission"
)

// Marshal writes an imported project as a budgetcheck/v1 submission in YAML.
// A comment after each value names the cell it came from (Sheet!C12), and
// the head of the file lists the import's warnings, so that whoever edits the
// file can go back to the workbook. Loading the output gives the same facts.
func Marshal(p Project) ([]byte, error) {
	s := p.Submission
	if s == nil {
		return nil, fmt.Errorf("project %s was not imported", p.Name())
	}
	e := encoder{s: s}
	root := &yaml.Node{Kind: yaml.MappingNode}
	var head strings.Builder
	fmt.Fprintf(&head, "Imported by budgetcheck import xlsx from %s, sheet %s", s.File, p.Sheet)
	if p.Row > 0 {
		fmt.Fprintf(&head, ", row %d", p.Row)
	}
	head.WriteString(".\nThe comment after a value names the cell it was read from.")
	if len(p.Warnings) > 0 {
		head.WriteString("\nImport warnings:")
		for _, w := range p.Warnings {
			fmt.Fprintf(&head, "\n  %s: %s [%s]", cellOf(w.Pos), w.Message, w.Code)
		}
	}
	root.HeadComment = head.String()
	e.str(root, "schema", s.Schema, "")

	pr := s.Project
	project := &yaml.Node{Kind: yaml.MappingNode}
	e.str(project, "name", pr.Name, "project.name")
	e.str(project, "code", pr.Code, "project.code")
	e.str(project, "budget_unit", pr.BudgetUnit, "project.budget_unit")
	e.str(project, "department", pr.Department, "project.department")
	e.str(project, "attribute", pr.Attribute, "project.attribute")
	if pr.FiscalYear != 0 {
		e.add(project, "fiscal_year", scalar("!!int", strconv.Itoa(pr.FiscalYear)), "project.fiscal_year")
	}
	e.str(project, "unit", pr.Unit, "")
	// Untagged: the loader reads the amount's text, never a float.
	e.add(project, "requested_total", scalar("", pr.RequestedTotal.String()), "project.requested_total")
	if len(pr.PolicyBasis) > 0 {
		docs := &yaml.Node{Kind: yaml.SequenceNode}
		for i, d := range pr.PolicyBasis {
			doc := &yaml.Node{Kind: yaml.MappingNode}
			e.str(doc, "title", d.Title, fmt.Sprintf("project.policy_basis[%d].title", i))
			e.str(doc, "number", d.Number, "")
			docs.Content = append(docs.Content, doc)
		}
		e.add(project, "policy_basis", docs, "")
	}
	e.str(project, "annual_goal", pr.AnnualGoal, "project.annual_goal")
	e.str(project, "long_term_goal", pr.LongTermGoal, "project.long_term_goal")
	e.str(project, "cost_basis_text", pr.CostBasisText, "project.cost_basis_text")
	e.add(root, "project", project, "")

	if len(s.Targets) > 0 {
		targets := &yaml.Node{Kind: yaml.SequenceNode}
		for i, t := range s.Targets {
			row := &yaml.Node{Kind: yaml.MappingNode}
			at := fmt.Sprintf("targets[%d]", i)
			e.str(row, "level1", t.Level1, at)
			e.str(row, "level2", t.Level2, "")
			e.str(row, "name", t.Name, "")
			e.str(row, "value", t.Value, "")
			e.str(row, "explanation", t.Explanation, "")
			targets.Content = append(targets.Content, row)
		}
		e.add(root, "targets", targets, "targets")
	}

	var b bytes.Buffer
	enc := yaml.NewEncoder(&b)
	enc.SetIndent(2)
	if err := enc.Encode(root); err != nil {
		return nil, fmt.Errorf("marshal %s: %w", p.Name(), err)
	}
	if err := enc.Close(); err != nil {
		return nil, fmt.Errorf("marshal %s: %w", p.Name(), err)
	}
	return b.Bytes(), nil
}

type encoder struct{ s *submission.Submission }

func scalar(tag, value string) *yaml.Node {
	return &yaml.Node{Kind: yaml.ScalarNode, Tag: tag, Value: value}
}

// str adds a text value; empty text is left out.
func (e encoder) str(m *yaml.Node, key, value, path string) {
	if value != "" {
		e.add(m, key, scalar("!!str", value), path)
	}
}

// add adds key: value, with the cell of the fact at path as a comment.
func (e encoder) add(m *yaml.Node, key string, value *yaml.Node, path string) {
	k := scalar("!!str", key)
	if p, ok := e.s.Positions[path]; ok && path != "" {
		if value.Kind == yaml.ScalarNode && !strings.Contains(value.Value, "\n") {
			value.LineComment = cellOf(p)
		} else {
			k.LineComment = cellOf(p)
		}
	}
	m.Content = append(m.Content, k, value)
}

// cellOf is a position's sheet and cell ("智慧社区!B2").
func cellOf(p submission.Pos) string {
	if _, cell, ok := strings.Cut(p.File, "#"); ok {
		return cell
	}
	return p.File
}
