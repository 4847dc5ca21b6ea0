package output

import (
	"encoding/json"
	"io"
	"net/url"
	"path/filepath"
	"strings"

	"github.com/budgetcheck/budgetcheck/evaluator/money"
	"github.com/budgetcheck/budgetcheck/evaluator/result"
	"github.com/budgetcheck/budgetcheck/evaluator/ruleset"
)

// SARIF writes a SARIF 2.1.0 log (code scanning on GitHub, GitLab, Azure
// DevOps …): one run, one rule per finding code of the catalogue, one result
// per finding with the submission's file, line and column. A waived finding
// carries a suppression; input errors are results under their problem code.
type SARIF struct {
	// Version is budgetcheck's own (tool.driver.version).
	Version string
	Lang    string
	Catalog *ruleset.Catalog
}

// SARIFSchema is the schema URI the log declares.
const SARIFSchema = "https://docs.oasis-open.org/sarif/sarif/v2.1.0/errata01/os/schemas/sarif-schema-2.1.0.json"

type sarifLog struct {
	Schema  string     `json:"$schema"`
	Version string     `json:"version"`
	Runs    []sarifRun `json:"runs"`
}

type sarifRun struct {
	Tool        sarifTool         `json:"tool"`
	Invocations []sarifInvocation `json:"invocations"`
	Results     []sarifResult     `json:"results"`
}

type sarifTool struct {
	Driver sarifDriver `json:"driver"`
}

type sarifDriver struct {
	Name           string         `json:"name"`
	Version        string         `json:"version,omitempty"`
	InformationURI string         `json:"informationUri,omitempty"`
	Rules          []sarifRule    `json:"rules"`
	Properties     map[string]any `json:"properties,omitempty"`
}

type sarifText struct {
	Text     string `json:"text"`
	Markdown string `json:"markdown,omitempty"`
}

type sarifRule struct {
	ID                   string         `json:"id"`
	ShortDescription     sarifText      `json:"shortDescription"`
	FullDescription      *sarifText     `json:"fullDescription,omitempty"`
	Help                 sarifText      `json:"help"`
	DefaultConfiguration sarifConfig    `json:"defaultConfiguration"`
	Properties           map[string]any `json:"properties,omitempty"`
}

type sarifConfig struct {
	Level string `json:"level"`
}

type sarifInvocation struct {
	ExecutionSuccessful bool `json:"executionSuccessful"`
}

type sarifResult struct {
	RuleID              string            `json:"ruleId"`
	RuleIndex           *int              `json:"ruleIndex,omitempty"`
	Level               string            `json:"level"`
	Message             sarifText         `json:"message"`
	Locations           []sarifLocation   `json:"locations"`
	PartialFingerprints map[string]string `json:"partialFingerprints,omitempty"`
	BaselineState       string            `json:"baselineState,omitempty"`
	Suppressions        []sarifSuppress   `json:"suppressions,omitempty"`
	Properties          map[string]any    `json:"properties,omitempty"`
}

type sarifLocation struct {
	PhysicalLocation sarifPhysical `json:"physicalLocation"`
}

type sarifPhysical struct {
	ArtifactLocation sarifArtifact `json:"artifactLocation"`
	Region           *sarifRegion  `json:"region,omitempty"`
}

type sarifArtifact struct {
	URI string `json:"uri"`
}

type sarifRegion struct {
	StartLine   int `json:"startLine"`
	StartColumn int `json:"startColumn,omitempty"`
}

type sarifSuppress struct {
	Kind          string `json:"kind"`
	Status        string `json:"status"`
	Justification string `json:"justification,omitempty"`
}

// sarifLevel maps a finding's severity to a SARIF level.
func sarifLevel(severity string) string {
	switch severity {
	case "error":
		return "error"
	case "warning":
		return "warning"
	}
	return "note"
}

func (s *SARIF) Write(w io.Writer, docs []*result.Document) error {
	run := sarifRun{
		Tool:        sarifTool{Driver: sarifDriver{Name: "budgetcheck", Version: s.Version, InformationURI: "https://github.com/budgetcheck/budgetcheck", Rules: []sarifRule{}}},
		Invocations: []sarifInvocation{{ExecutionSuccessful: true}},
		Results:     []sarifResult{},
	}
	index := map[string]int{}
	if s.Catalog != nil {
		for _, code := range s.Catalog.FindingCodes() {
			index[code] = len(run.Tool.Driver.Rules)
			run.Tool.Driver.Rules = append(run.Tool.Driver.Rules, s.rule(s.Catalog.Findings[code]))
		}
	}
	for _, d := range docs {
		if d.Ruleset.Name != "" && run.Tool.Driver.Properties == nil {
			run.Tool.Driver.Properties = map[string]any{"ruleset": d.Ruleset.Name, "rulesetVersion": d.Ruleset.Version}
		}
		for _, p := range d.Errors {
			run.Results = append(run.Results, sarifResult{
				RuleID:    p.Code,
				Level:     "error",
				Message:   sarifText{Text: p.Message},
				Locations: []sarifLocation{sarifLoc(p.Pos.File, p.Pos.Line, p.Pos.Column)},
			})
		}
		for _, f := range d.Findings {
			r := sarifResult{
				RuleID:              f.Code,
				Level:               sarifLevel(f.Severity),
				Message:             sarifText{Text: f.Message + adjustmentText(f, d.Budget.Unit, s.Lang)},
				Locations:           []sarifLocation{sarifLoc(f.Location.File, f.Location.Line, f.Location.Column)},
				PartialFingerprints: map[string]string{"budgetcheck/v1": f.Code + "/" + f.Subject},
				BaselineState:       f.Baseline,
				Properties:          map[string]any{"subject": f.Subject, "title": f.Title},
			}
			if i, ok := index[f.Code]; ok {
				r.RuleIndex = &i
			}
			if len(f.Adjustments) > 0 {
				r.Properties["adjustments"] = f.Adjustments
			}
			if f.Waived != nil {
				kind := "external"
				if f.Waived.File == d.File {
					kind = "inSource"
				}
				r.Suppressions = []sarifSuppress{{Kind: kind, Status: "accepted", Justification: f.Waived.Reason}}
			}
			run.Results = append(run.Results, r)
		}
	}
	enc := json.NewEncoder(w)
	enc.SetIndent("", "  ")
	enc.SetEscapeHTML(false)
	return enc.Encode(sarifLog{Schema: SARIFSchema, Version: "2.1.0", Runs: []sarifRun{run}})
}

func (s *SARIF) rule(def ruleset.FindingDef) sarifRule {
	title := def.Title.In(s.Lang)
	help := title
	if def.Description != "" {
		help += "\n\n" + def.Description
	}
	if def.Basis != "" {
		help += "\n\n" + ciLabel("basis", s.Lang) + ": " + def.Basis
	}
	r := sarifRule{
		ID:                   def.Code,
		ShortDescription:     sarifText{Text: title},
		Help:                 sarifText{Text: help},
		DefaultConfiguration: sarifConfig{Level: sarifLevel(def.Severity)},
		Properties:           map[string]any{"severity": def.Severity, "basis": def.Basis, "tags": []string{"budget", def.Severity}},
	}
	if def.Description != "" {
		r.FullDescription = &sarifText{Text: def.Description}
	}
	return r
}

// sarifLoc is a physical location; the file as a relative URI reference
// with forward slashes, percent-encoded.
func sarifLoc(file string, line, column int) sarifLocation {
	u := url.URL{Path: filepath.ToSlash(file)}
	loc := sarifLocation{PhysicalLocation: sarifPhysical{ArtifactLocation: sarifArtifact{URI: u.String()}}}
	if line > 0 {
		loc.PhysicalLocation.Region = &sarifRegion{StartLine: line, StartColumn: max(column, 0)}
	}
	return loc
}

// adjustmentText writes a finding's budget adjustments after its message,
// e.g. "（调整：L1 -20万元）".
func adjustmentText(f result.Finding, unit, lang string) string {
	if len(f.Adjustments) == 0 {
		return ""
	}
	parts := make([]string, 0, len(f.Adjustments))
	for _, a := range f.Adjustments {
		parts = append(parts, a.Line+" "+signed(a.Amount)+unitText(unit, lang))
	}
	if lang == ruleset.LangEn {
		return " (adjustment: " + strings.Join(parts, ", ") + ")"
	}
	return "（调整：" + strings.Join(parts, "，") + "）"
}

// unitText writes the budget unit after an amount.
func unitText(unit, lang string) string {
	u, ok := money.LookupUnit(unit)
	if !ok {
		return unit
	}
	if lang == ruleset.LangEn {
		return " " + u.English
	}
	return u.Name
}
